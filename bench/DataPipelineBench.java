import ai.djl.ndarray.NDArray;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.javadl.data.Cifar10;
import io.javadl.data.DataLoader;
import io.javadl.data.transforms.ToTensor;
import java.nio.file.Path;

/**
 * Workload (a) of bench/run.py, the course's side: one pass of "ToTensor, batch 64, shuffle, num_workers 0"
 * over the CIFAR-10 test set, timed. Prints one line per timed pass: {@code pass <seconds> <images>}.
 *
 * <p>Run by bench/run.py with the kernel's classpath: {@code java -cp 'kernel/target/classpath/*'
 * bench/DataPipelineBench.java <dataset root> <warm-up passes> <timed passes>}.
 */
public class DataPipelineBench {

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int passes = Integer.parseInt(args[2]);
        try (Cifar10 testSet = Cifar10.builder().optRoot(root).optUsage(Dataset.Usage.TEST)
                        .addTransform(new ToTensor()).build();
                DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).optShuffle(true).optSeed(0)
                        .optNumWorkers(0).build()) {
            testSet.size(); // loads the files, as torchvision's constructor does, before any timing
            for (int pass = 0; pass < warmUp + passes; pass++) {
                long start = System.nanoTime();
                long images = 0;
                for (Batch batch : loader) {
                    NDArray imgs = batch.getData().head();
                    images += imgs.getShape().get(0);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (pass >= warmUp) {
                    System.out.println("pass " + seconds + " " + images);
                }
            }
        }
    }
}
