"""The javadl kernel's start-up work, seen through the Jupyter protocol: imports, logging, renderers."""

from __future__ import annotations

import os
import time

from conftest import KernelSession, traceback_text


def test_course_names_need_no_import_cell(kernel_session):
    status, outputs = kernel_session.run(
        """
        Device device = Engine.getInstance().defaultDevice();   // ai.djl, ai.djl.engine
        try (NDManager manager = NDManager.newBaseManager()) {  // ai.djl.ndarray
            NDArray a = manager.zeros(new Shape(2, 3), DataType.FLOAT32);  // ai.djl.ndarray.types
            a.get(new NDIndex("0, :"));                         // ai.djl.ndarray.index
        }
        Block block = new SequentialBlock().add(Activation::relu);  // ai.djl.nn
        TrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())  // ai.djl.training, .loss
                .optOptimizer(Optimizer.sgd()                     // .optimizer
                        .setLearningRateTracker(Tracker.fixed(0.01f)).build());  // .tracker
        Dataset.Usage usage = Dataset.Usage.TEST;                     // ai.djl.training.dataset
        Record record = null; Batch batch = null;                     // (Record is DJL's, not java.lang's)
        Cifar10.Builder cifar = Cifar10.builder();                    // io.javadl.data
        DataLoader.Builder loader = null;
        Transform pipeline = new Compose(new ToTensor(),             // io.javadl.data.transforms
                new Normalize(Cifar10.NORMALIZE_MEAN, Cifar10.NORMALIZE_STD));
        Table table = Table.create("t", IntColumn.create("n", 1, 2));  // tech.tablesaw.api
        XYChart chart = new XYChartBuilder().build();                 // org.knowm.xchart
        SystemInfo info = SystemInfo.collect();                       // io.javadl.core
        LinePlot plot = LinePlot.titled("t"); Class<?> board = SummaryWriter.class;  // io.javadl.board
        LiveChart live = null; ImageGrid grid = null; Tables.class.getName();
        SequentialBlock cnn = CourseCnn.newBlock();                   // io.javadl.models
        EpochStats stats = null; Class<?> loop = ClassifierLoop.class; Gradients.class.getName();  // io.javadl.train
        List<String> names = new ArrayList<>();                       // JJava's own java.util import
        Path logs = Path.of("logs"); Files.isDirectory(logs);         // java.nio.file
        System.out.println("imports ok");
        """
    )
    assert status == "ok", outputs
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "imports ok\n"}]


def kernel_log_of(tmp_path, env: dict[str, str]) -> tuple[list[dict], str]:
    """Starts a kernel whose stderr (the terminal of `jupyter lab`) goes to a file, makes the first DJL call
    of its life, and returns the cell's outputs and what the kernel logged."""
    log_path = tmp_path / "kernel.log"
    with open(log_path, "w") as log:
        session = KernelSession(env=env, stderr=log)
        try:
            status, outputs = session.run("NDManager.newBaseManager().ones(new Shape(2)).sum()")
        finally:
            session.close()
    assert status == "ok", outputs
    return outputs, log_path.read_text()


def test_djl_start_up_logging_stays_out_of_the_notebook(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "JAVADL_LOG_LEVEL"}

    outputs, log = kernel_log_of(tmp_path, env)

    assert [o["output_type"] for o in outputs] == ["execute_result"]
    assert outputs[0]["data"]["text/plain"].startswith("ND: () cpu() float32\n2.")
    assert "Number of inter-op threads" not in log  # DJL's INFO chatter is below the default level


def test_javadl_log_level_sends_djl_info_to_the_kernel_log_only(tmp_path):
    outputs, log = kernel_log_of(tmp_path, dict(os.environ, JAVADL_LOG_LEVEL="INFO"))

    assert [o["output_type"] for o in outputs] == ["execute_result"]
    assert "Number of inter-op threads" in log
    # the extension found JJava's shell and control loops, which now wait on their sockets (kernel's ShellPolling)
    assert "Shell polling: 2 channel loops wait on their sockets between turns" in log


def test_a_cell_ending_in_printf_format_or_append_shows_only_what_it_printed(kernel_session):
    """printf, format and append return the stream they wrote to; the cell shows no `java.io.PrintStream@...`."""
    for cell, name, text in (
        ('System.out.printf("x=%d%n", 3);', "stdout", "x=3\n"),
        ('System.out.format("%s!", "hi")', "stdout", "hi!"),
        ('System.out.append("a").append("b");', "stdout", "ab"),
        ('System.err.printf("careful%n")', "stderr", "careful\n"),
    ):
        status, outputs = kernel_session.run(cell)
        assert status == "ok", outputs
        assert {(o["output_type"], o["name"]) for o in outputs} == {("stream", name)}, (cell, outputs)
        assert "".join(o["text"] for o in outputs) == text, (cell, outputs)  # a front end joins a stream's parts


def test_other_results_still_show_a_print_stream_of_the_cells_own_too(kernel_session):
    status, outputs = kernel_session.run("var own = new java.io.PrintStream(new java.io.ByteArrayOutputStream()); own")
    assert status == "ok", outputs
    assert [o["output_type"] for o in outputs] == ["execute_result"], outputs
    assert outputs[0]["data"]["text/plain"].startswith("java.io.PrintStream@")
    assert kernel_session.value('String.format("%d", 3)') == "3"


def test_the_jshell_variable_of_an_expressions_value_goes_with_its_cell(kernel_session):
    """JShell keeps each expression's value in a variable ($1, $2, ...; plain JJava's `$1` after `40 + 2` is 42), and
    compiles each later cell with all of them; the kernel drops them once their cell is done (ResultVariables)."""
    assert kernel_session.value("40 + 2") == "42"
    assert kernel_session.value("int kept = 40 + 2;") == ""
    status, outputs = kernel_session.run("$1")
    assert status == "error", outputs
    assert "cannot find symbol" in traceback_text(outputs[0]) and "variable $1" in traceback_text(outputs[0]), outputs
    assert kernel_session.value("kept + 1") == "43"


def inspect_text(session: KernelSession, code: str, cursor: int | None = None) -> str:
    """What Shift+Tab shows with the cursor at `cursor` (default: the end of `code`), as JupyterLab asks for it."""
    reply = session.client.inspect(
        code, len(code) if cursor is None else cursor, detail_level=0, reply=True, timeout=60
    )["content"]
    assert reply["status"] == "ok", reply
    return reply["data"].get("text/plain", "") if reply["found"] else ""


def test_shift_tab_in_an_unfinished_call_shows_signatures_and_javadoc(kernel_session):
    time.sleep(0.5)  # a learner's first keystrokes, before any cell ran
    jdk = inspect_text(kernel_session, "Math.max(")
    assert "int Math.max(int" in jdk, jdk
    # JShell reads the JDK's Javadoc from its src.zip: Temurin's JDK has it, and for Debian's (which ships it in
    # openjdk-17-source, with the desktop JDK) the installer fetched the package's src.zip into the kernel's sources
    assert "Returns the greater of two int values" in jdk and "a - an argument." in jdk, jdk

    kernel_session.value("NDManager manager = NDManager.newBaseManager(); NDArray a = manager.arange(6f);")

    unfinished = inspect_text(kernel_session, "a.reshape(")
    # both overloads, each with DJL's Javadoc (from DJL's -sources jar): its text and its @param
    assert "NDArray NDArray.reshape(long... newShape)" in unfinished, unfinished
    assert "NDArray NDArray.reshape(Shape shape)" in unfinished, unfinished
    assert "Reshapes this NDArray to the given Shape" in unfinished and "newShape - " in unfinished, unfinished
    assert inspect_text(kernel_session, "a.reshape(2, 3)", len("a.reshape(")) == unfinished
    assert inspect_text(kernel_session, "a.reshape", len("a.resh")) == unfinished  # on the name, no call yet

    course = inspect_text(kernel_session, "CourseCnn.newBlock(")  # the course library, from its sources jar
    assert course.startswith("SequentialBlock CourseCnn.newBlock()"), course
    assert "uninitialized block of the course CNN" in course, course

    assert inspect_text(kernel_session, "int nothingHere = 1;", 3) == ""


def test_a_shutdown_request_ends_the_kernels_process_at_once():
    """As JupyterLab's Restart and Shut Down send it, with the front end still connected. Without the extension's
    exit the JVM outlived the request by a minute (JJava's idle cell thread), and jupyter_client waited 2.5 s on
    every restart before it sent SIGTERM."""
    session = KernelSession()
    try:
        session.value("1 + 1")
        process = session.manager.provisioner.process
        session.client.shutdown()
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() == 0, "the kernel's process was still running 10 s after the shutdown request"
    finally:
        session.close()
