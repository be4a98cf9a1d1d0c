package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.translate.Transform;
import java.util.List;
import java.util.stream.Collectors;

/**
 * torchvision's {@code Compose}: several transforms applied in order, as one transform.
 *
 * <pre>{@code
 * Transform train = new Compose(new RandomCrop(32, 4), new RandomHorizontalFlip(), new ToTensor(),
 *         new Normalize(Cifar10.NORMALIZE_MEAN, Cifar10.NORMALIZE_STD));
 * }</pre>
 */
public final class Compose implements Transform {

    private final List<Transform> transforms;

    /** @param transforms the transforms, first applied first */
    public Compose(Transform... transforms) {
        this.transforms = List.of(transforms);
    }

    @Override
    public NDArray transform(NDArray array) {
        NDArray result = array;
        for (Transform transform : transforms) {
            result = transform.transform(result);
        }
        return result;
    }

    @Override
    public String toString() {
        return transforms.stream().map(Object::toString).collect(Collectors.joining(", ", "Compose(", ")"));
    }
}
