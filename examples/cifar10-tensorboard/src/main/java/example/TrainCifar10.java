package example;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.javadl.board.SummaryWriter;
import io.javadl.data.Cifar10;
import io.javadl.data.DataLoader;
import io.javadl.data.transforms.ToTensor;
import io.javadl.models.CourseCnn;
import io.javadl.train.ClassifierLoop;
import io.javadl.train.EpochStats;
import io.javadl.train.TensorBoardListener;
import java.nio.file.Path;

/**
 * Trains the course's CNN on CIFAR-10 with DJL's {@code EasyTrain.fit}: on nine tenths of the training images,
 * validated on the last tenth after each epoch, and measured once on the test images at the end. The course
 * library's {@link TensorBoardListener} logs the run to TensorBoard.
 *
 * <pre>
 * mvn compile exec:java -Dexec.args="--epochs 10 --limit 50000 --logdir logs/cifar10"
 * tensorboard --logdir logs
 * </pre>
 *
 * <p>CIFAR-10 is read from {@code $JAVADL_DATA/cifar-10-batches-bin}, or {@code ~/.javadl/datasets}, and
 * downloaded there first if it is missing (a 162 MiB archive).
 */
public final class TrainCifar10 {

    private static final int BATCH_SIZE = 64;

    private TrainCifar10() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        try (Cifar10 cifar = cifar10(Dataset.Usage.TRAIN, options.limit);
             Model model = Model.newInstance("course-cnn");
             SummaryWriter writer = new SummaryWriter(options.logDir)) {
            int split = Math.toIntExact(cifar.size() * 9 / 10);
            RandomAccessDataset trainSet = cifar.subDataset(0, split);
            RandomAccessDataset validationSet = cifar.subDataset(split, Math.toIntExact(cifar.size()));
            model.setBlock(CourseCnn.newBlock());

            // the notes' SGD at 0.01, decaying to 0.001 along a cosine over the run
            int steps = options.epochs * (int) Math.ceil(split / (double) BATCH_SIZE);
            Tracker learningRate = Tracker.cosine().setBaseValue(0.01f).optFinalValue(0.001f).setMaxUpdates(steps)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(learningRate).build())
                    .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                            XavierInitializer.FactorType.IN, 1), Parameter.Type.WEIGHT)
                    .addTrainingListeners(TrainingListener.Defaults.logging())
                    .addTrainingListeners(TensorBoardListener.builder(writer)
                            .optStepInterval(10)
                            .optLearningRate(learningRate)
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());  // DJL's log of each epoch reads them
                trainer.initialize(new Shape(1, 3, 32, 32));
                EasyTrain.fit(trainer, options.epochs, trainSet, validationSet);
                System.out.println(trainer.getTrainingResult());
                try (Cifar10 testSet = cifar10(Dataset.Usage.TEST, options.limit);
                     DataLoader testLoader = DataLoader.builder(testSet).optBatchSize(BATCH_SIZE).build()) {
                    EpochStats test = ClassifierLoop.evaluate(trainer, testLoader);
                    System.out.printf("test: %d images, loss %.4f, accuracy %.2f%%%n", test.images(), test.loss(),
                            100 * test.accuracy());
                }
            }
        }
        System.out.println("TensorBoard: tensorboard --logdir " + options.logDir.toAbsolutePath().getParent());
    }

    private static Cifar10 cifar10(Dataset.Usage usage, long limit) {
        return Cifar10.builder()
                .optUsage(usage)
                .addTransform(new ToTensor())
                .setSampling(BATCH_SIZE, true)
                .optLimit(limit)
                .optDownload(true)
                .build();
    }

    /** The command line: {@code --epochs N}, {@code --limit N} (images of each split), {@code --logdir DIR}. */
    private record Options(int epochs, long limit, Path logDir) {

        static Options parse(String[] args) {
            int epochs = 10;
            long limit = Long.MAX_VALUE;
            Path logDir = Path.of("logs", "cifar10");
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                    case "--limit" -> limit = Long.parseLong(args[i + 1]);
                    case "--logdir" -> logDir = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; the options are --epochs N, --limit N and --logdir DIR");
                }
            }
            return new Options(epochs, limit, logDir);
        }
    }
}
