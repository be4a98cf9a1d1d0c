import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.javadl.board.SummaryWriter;
import io.javadl.data.Cifar10;
import io.javadl.data.DataLoader;
import io.javadl.data.transforms.ToTensor;
import io.javadl.models.CourseCnn;
import io.javadl.train.ClassifierLoop;
import io.javadl.train.TensorBoardListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The course's side of bench/run.py: one workload, written the way the notebooks write it, timed pass by pass.
 * bench/course_bench_torch.py is PyTorch's side of the same workloads.
 *
 * <pre>
 * java -cp 'kernel/target/classpath/*' bench/CourseBench.java WORKLOAD DATASET_ROOT WARM_UP_SECONDS PASSES
 * </pre>
 *
 * <p>Workloads: {@code pipeline} (ToTensor, batch 64, shuffle, over the test set); {@code conv} (Conv2d 3→6,
 * 3x3, as notebook 04), {@code pool} (MaxPool 3x3, ceil mode, as 05) and {@code activations} (ReLU then
 * Sigmoid, as 06), each over the test set's 157 batches of 64, already in memory as float tensors; and
 * {@code epoch}: training epochs of the course CNN on data_batch_1 as the capstone (09) trains it, data pipeline
 * included; {@code logged-epoch}: the same epochs with DJL's {@code EasyTrain.fit} and the course's
 * {@link TensorBoardListener}, which logs the loss every step and the loss and accuracy every epoch. Prints the
 * first pass as {@code first <seconds> <images>}; then passes run untimed until
 * WARM_UP_SECONDS have passed (so that the JIT compiler has compiled DJL's Java code, as it has after a while in
 * a notebook); then one line per timed pass, {@code pass <seconds> <images>}. The epochs have no warm-up: the
 * first line is the first epoch, the other epochs are the passes; {@code epoch} also prints {@code rss <bytes>}
 * after every epoch and {@code peak <bytes>} at the end (VmRSS and VmHWM).
 */
public class CourseBench {

    public static void main(String[] args) throws IOException, TranslateException {
        String workload = args[0];
        Path root = Path.of(args[1]);
        Passes passes = new Passes(Double.parseDouble(args[2]), Integer.parseInt(args[3]));
        switch (workload) {
            case "pipeline" -> pipeline(root, passes);
            case "conv" -> layer(root, passes,
                    Conv2d.builder().setFilters(6).setKernelShape(new Shape(3, 3)).build());
            case "pool" -> layer(root, passes,
                    new SequentialBlock().add(
                            Pool.maxPool2dBlock(new Shape(3, 3), new Shape(3, 3), new Shape(0, 0), true)));
            case "activations" -> layer(root, passes,
                    new SequentialBlock().add(Activation.reluBlock()).add(Activation.sigmoidBlock()));
            case "epoch" -> epochs(root, passes.timed + 1);
            case "logged-epoch" -> loggedEpochs(root, passes.timed + 1);
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    private static Cifar10 cifar(Path root, Dataset.Usage usage) {
        return Cifar10.builder().optRoot(root).optUsage(usage).addTransform(new ToTensor()).build();
    }

    /** (a) One pass of the loader over the test set; loading the file is done before the timing. */
    private static void pipeline(Path root, Passes passes) {
        try (Cifar10 testSet = cifar(root, Dataset.Usage.TEST);
                DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).optShuffle(true).optSeed(0).build()) {
            testSet.size(); // loads the file, as torchvision's constructor does
            passes.run(() -> {
                long images = 0;
                for (Batch batch : loader) {
                    images += batch.getData().head().getShape().get(0);
                }
                return images;
            });
        }
    }

    /** (b)–(d) The block's forward in inference mode over the test set, its batches already float tensors. */
    private static void layer(Path root, Passes passes, Block block) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray> batches = testBatches(root, manager);
            block.initialize(manager, DataType.FLOAT32, batches.get(0).getShape());
            ParameterStore parameters = new ParameterStore(manager, false);
            passes.run(() -> {
                long images = 0;
                for (NDArray imgs : batches) {
                    try (NDManager step = manager.newSubManager()) {
                        imgs.tempAttach(step); // what the forward makes is freed with the step, imgs stays
                        NDArray out = block.forward(parameters, new NDList(imgs), false).head();
                        images += out.getShape().get(0);
                    }
                }
                return images;
            });
        }
    }

    private static List<NDArray> testBatches(Path root, NDManager manager) {
        List<NDArray> batches = new ArrayList<>();
        try (Cifar10 testSet = cifar(root, Dataset.Usage.TEST);
                DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).build()) {
            for (Batch batch : loader) {
                NDArray imgs = batch.getData().head();
                imgs.attach(manager);
                batches.add(imgs);
            }
        }
        return batches;
    }

    /** (e) and (g): the capstone's model, trainer and loop; the first epoch includes reading the file. */
    private static void epochs(Path root, int epochs) throws IOException {
        Engine.getInstance().setRandomSeed(0);
        long start = System.nanoTime();
        try (Cifar10 trainSet = cifar(root, Dataset.Usage.TRAIN);
                DataLoader loader = DataLoader.builder(trainSet).optBatchSize(64).optShuffle(true).optSeed(0).build();
                Model model = Model.newInstance("course-cnn", Device.cpu())) {
            model.setBlock(CourseCnn.newBlock());
            try (Trainer trainer = model.newTrainer(capstoneConfig())) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                for (int epoch = 0; epoch < epochs; epoch++) {
                    long images = ClassifierLoop.trainEpoch(trainer, loader).images();
                    report(epoch == 0 ? "first" : "pass", start, images);
                    System.out.println("rss " + procStatus("VmRSS"));
                    start = System.nanoTime();
                }
            }
        }
        System.out.println("peak " + procStatus("VmHWM"));
    }

    /** The capstone's loss, optimizer and initial weights. */
    private static DefaultTrainingConfig capstoneConfig() {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                        XavierInitializer.FactorType.IN, 1), Parameter.Type.WEIGHT);
    }

    /** (h): the epochs of (e) with EasyTrain.fit, logged by TensorBoardListener into a temporary folder. */
    private static void loggedEpochs(Path root, int epochs) throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(0);
        long start = System.nanoTime();
        Path logs = Files.createTempDirectory("bench-logs");
        try (Cifar10 trainSet = Cifar10.builder().optRoot(root).optUsage(Dataset.Usage.TRAIN)
                        .addTransform(new ToTensor()).setSampling(64, true).build();
                Model model = Model.newInstance("course-cnn", Device.cpu());
                SummaryWriter writer = SummaryWriter.builder(logs).optInline(false).build()) {
            model.setBlock(CourseCnn.newBlock());
            DefaultTrainingConfig config = capstoneConfig()
                    .addEvaluator(new Accuracy())
                    .addTrainingListeners(new TensorBoardListener(writer));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                for (int epoch = 0; epoch < epochs; epoch++) {
                    EasyTrain.fit(trainer, 1, trainSet, null);
                    report(epoch == 0 ? "first" : "pass", start, trainSet.size());
                    start = System.nanoTime();
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(logs);
        }
    }

    private static void report(String kind, long start, long images) {
        System.out.println(kind + " " + (System.nanoTime() - start) / 1e9 + " " + images);
    }

    /** One pass of a workload; returns the number of images it saw. */
    private interface Pass {
        long run();
    }

    /** The first pass, then untimed passes for {@code warmUpSeconds}, then {@code timed} timed passes. */
    private record Passes(double warmUpSeconds, int timed) {

        void run(Pass pass) {
            long start = System.nanoTime();
            report("first", start, pass.run());
            while (System.nanoTime() - start < warmUpSeconds * 1e9) {
                pass.run();
            }
            for (int i = 0; i < timed; i++) {
                long passStart = System.nanoTime();
                report("pass", passStart, pass.run());
            }
        }
    }

    /** A {@code kB} field of /proc/self/status, in bytes. */
    private static long procStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/self/status");
    }
}
