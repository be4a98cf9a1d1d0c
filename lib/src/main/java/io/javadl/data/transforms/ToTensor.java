package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.Transform;

/**
 * torchvision's {@code ToTensor} for channel-first images: {@code uint8} pixels 0 to 255 become
 * {@code float32} values in {@code [0, 1]}, same shape, {@code (C, H, W)} or {@code (N, C, H, W)}.
 *
 * <p>Unlike DJL's {@code ai.djl.modality.cv.transform.ToTensor}, which also turns {@code (H, W, C)} into
 * {@code (C, H, W)}, it does not move axes: the course's datasets are channel-first already.
 */
public final class ToTensor implements Transform {

    /**
     * @param array {@code uint8} pixels; it is not changed
     * @return a new {@code float32} array in the same manager
     * @throws IllegalArgumentException if the array is not {@code uint8} images
     */
    @Override
    public NDArray transform(NDArray array) {
        Images.requireImages("ToTensor", array);
        if (array.getDataType() != DataType.UINT8) {
            throw new IllegalArgumentException("ToTensor takes uint8 pixels (0 to 255), not "
                    + array.getDataType() + ": is ToTensor in the pipeline twice, or after Normalize?");
        }
        return array.toType(DataType.FLOAT32, false).divi(255f);
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
