package io.javadl.train;

/**
 * What one pass over a dataset measured.
 *
 * @param loss the mean loss per image
 * @param accuracy the share of images whose highest score was the right class, from 0 to 1
 * @param images how many images the pass saw
 * @param seconds how long the pass took, loading included
 */
public record EpochStats(double loss, double accuracy, long images, double seconds) {

    /** Returns the images per second of the pass. */
    public double imagesPerSecond() {
        return images / seconds;
    }

    @Override
    public String toString() {
        return String.format("loss %.4f, accuracy %.2f%%, %d images in %.1f s (%.0f images/s)",
                loss, 100 * accuracy, images, seconds, imagesPerSecond());
    }
}
