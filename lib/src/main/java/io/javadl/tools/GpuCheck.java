package io.javadl.tools;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.javadl.core.SystemInfo;
import io.javadl.data.Cifar10;
import io.javadl.data.DataLoader;
import io.javadl.data.transforms.ToTensor;
import io.javadl.models.CourseCnn;
import io.javadl.train.ClassifierLoop;
import io.javadl.train.EpochStats;
import java.io.PrintStream;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code make gpu-check}: proves that a GPU computes what the CPU computes, and shows how much faster it trains the
 * course's model. On {@code gpu(0)} beside the CPU it runs a convolution and compares the results, makes one
 * training step of {@link CourseCnn}, and trains one epoch of 09's capstone (CIFAR-10's training set, batches of
 * 64, SGD at 0.01) on each, printing images per second.
 *
 * <p>Exit status: 0 when every check passed, 1 when one failed, 2 when DJL sees no GPU (the line printed first
 * says why).
 */
public final class GpuCheck {

    /** The exit status when DJL sees no GPU. */
    public static final int NO_GPU = 2;

    /**
     * The largest difference allowed between a convolution's result on the device and on the CPU, relative to the
     * largest value. GPUs from Ampere on convolve in TF32 by default (10 mantissa bits), about 1e-3 relative.
     */
    static final double CONVOLUTION_TOLERANCE = 1e-2;

    private static final int BATCH_SIZE = 64;

    private GpuCheck() {
    }

    /**
     * Runs the checks on {@code gpu(0)}, training on CIFAR-10 as 09 does ({@code JAVADL_DATA}, downloaded when
     * missing).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Logger.getLogger("ai.djl").setLevel(Level.WARNING);  // DJL's start-up notes, as in the kernel
        SystemInfo info = SystemInfo.collect();
        System.out.println(info);
        if (info.gpuCount() == 0) {
            System.out.println("gpu-check: DJL sees no GPU, so there is nothing to check"
                    + (info.cudaBuild() ? "" : " (the kernel has PyTorch's CPU build: 'make setup TORCH=cuda')"));
            System.exit(NO_GPU);
        }
        try (Cifar10 trainData = Cifar10.builder().optUsage(Dataset.Usage.TRAIN).addTransform(new ToTensor())
                .optDownload(true).build()) {
            System.exit(run(Device.gpu(0), trainData, System.out) ? 0 : 1);
        }
    }

    /**
     * Runs the three checks on {@code device} beside the CPU and prints what they measured.
     *
     * @param device the device to check
     * @param trainData (3, 32, 32) float images with class labels, for the epoch
     * @param out where the report goes
     * @return whether the device's convolution matched the CPU's and its training gave finite losses
     */
    public static boolean run(Device device, RandomAccessDataset trainData, PrintStream out) {
        out.println("device: " + device);
        boolean convolutionMatches = convolution(device, out);
        boolean stepWorks = trainingStep(device, trainData, out);
        EpochStats onDevice = epoch(device, trainData);
        EpochStats onCpu = epoch(Device.cpu(), trainData);
        out.printf("one epoch of 09 (%,d images, batches of %d):%n", onDevice.images(), BATCH_SIZE);
        out.printf("  %-8s %s%n  %-8s %s%n", device, onDevice, Device.cpu(), onCpu);
        out.printf("  %s trains %.1fx as many images a second as the CPU%n", device,
                onDevice.imagesPerSecond() / onCpu.imagesPerSecond());
        boolean finite = Double.isFinite(onDevice.loss()) && Double.isFinite(onCpu.loss());
        if (!finite) {
            out.println("FAILED: an epoch's loss is not finite");
        }
        return convolutionMatches && stepWorks && finite;
    }

    private static boolean convolution(Device device, PrintStream out) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {  // owns the copies on the device too
            NDArray input = cpu.randomNormal(new Shape(BATCH_SIZE, 3, 32, 32));
            NDArray weight = cpu.randomNormal(0, 0.1f, new Shape(32, 3, 5, 5), input.getDataType());
            NDArray bias = cpu.randomNormal(new Shape(32));
            NDArray expected = convolve(input, weight, bias);
            NDArray actual = convolve(input.toDevice(device, true), weight.toDevice(device, true),
                    bias.toDevice(device, true)).toDevice(Device.cpu(), true);
            double largest = expected.abs().max().getFloat();
            double difference = actual.sub(expected).abs().max().getFloat();
            boolean matches = difference <= CONVOLUTION_TOLERANCE * largest;
            out.printf("convolution %s * %s, padding 2: largest difference from the CPU %.2e of values up to %.2f: "
                    + "%s%n",
                    input.getShape(), weight.getShape(), difference, largest,
                    matches ? "OK" : "FAILED (more than " + CONVOLUTION_TOLERANCE + " of the largest value)");
            return matches;
        }
    }

    private static NDArray convolve(NDArray input, NDArray weight, NDArray bias) {
        return Conv2d.conv2d(input, weight, bias, new Shape(1, 1), new Shape(2, 2), new Shape(1, 1)).head();
    }

    private static boolean trainingStep(Device device, RandomAccessDataset trainData, PrintStream out) {
        try (Model model = capstoneModel(device);
                Trainer trainer = capstoneTrainer(model, device);
                DataLoader loader = DataLoader.builder(trainData).optBatchSize(BATCH_SIZE).build()) {
            Batch batch = loader.iterator().next();
            EpochStats step = ClassifierLoop.trainEpoch(trainer, List.of(batch));
            boolean finite = Double.isFinite(step.loss());
            out.printf("a training step of the course CNN on %s: loss %.4f: %s%n", device, step.loss(),
                    finite ? "OK" : "FAILED (not finite)");
            return finite;
        }
    }

    private static EpochStats epoch(Device device, RandomAccessDataset trainData) {
        try (Model model = capstoneModel(device);
                Trainer trainer = capstoneTrainer(model, device);
                DataLoader loader = DataLoader.builder(trainData).optBatchSize(BATCH_SIZE).optShuffle(true).optSeed(0)
                        .build()) {
            return ClassifierLoop.trainEpoch(trainer, loader);
        }
    }

    private static Model capstoneModel(Device device) {
        Engine.getInstance().setRandomSeed(0);
        Model model = Model.newInstance("course-cnn", device);
        model.setBlock(CourseCnn.newBlock());
        return model;
    }

    /** 09's training setup: cross-entropy, SGD at 0.01, Xavier-uniform weights as PyTorch initialises them. */
    private static Trainer capstoneTrainer(Model model, Device device) {
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                        XavierInitializer.FactorType.IN, 1), Parameter.Type.WEIGHT)
                .optDevices(new Device[] {device}));
        trainer.initialize(new Shape(1).addAll(CourseCnn.IMAGE_SHAPE));
        return trainer;
    }
}
