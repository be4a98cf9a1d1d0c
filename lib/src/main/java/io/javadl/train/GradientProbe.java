package io.javadl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An identity block that measures the gradient flowing back through it: after a backward pass,
 * {@link #gradientNorm()} is the L2 norm of the loss's gradient with respect to the block's input, dL/dx. Put one in
 * front of each layer and the probes show how the gradient grows or shrinks from layer to layer on its way back to
 * the input: vanishing and exploding gradients.
 *
 * <pre>{@code
 * GradientProbe probe = new GradientProbe();
 * SequentialBlock net = new SequentialBlock().add(probe).add(Linear.builder().setUnits(10).build());
 * // ... initialize, forward in a GradientCollector, backward ...
 * double norm = probe.gradientNorm();   // |dL/dx| for the input of the Linear layer
 * }</pre>
 *
 * <p>How: the forward pass returns {@code x + z}, where {@code z} is an array of zeros that requires a gradient, so
 * the output equals the input and {@code z}'s gradient is dL/dx (PyTorch gets the same with
 * {@code x.retain_grad()}). Each forward pass makes a new {@code z}, owned by the input's manager; the probe keeps
 * the latest. A probe measures one network: it is not meant to sit in two places of a model.
 */
public final class GradientProbe extends AbstractBlock {

    private NDArray zeros;

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        zeros = input.zerosLike();
        zeros.setRequiresGradient(true);
        return new NDList(input.add(zeros));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /**
     * Returns the gradient of the last backward pass with respect to the input of the last forward pass.
     *
     * @return dL/dx, of the input's shape; it belongs to the input's manager
     * @throws IllegalStateException if no forward pass went through the probe yet
     */
    public NDArray gradient() {
        if (zeros == null) {
            throw new IllegalStateException("The probe has seen no forward pass yet: run the network forward inside "
                    + "a GradientCollector and call backward before reading the gradient.");
        }
        return zeros.getGradient();
    }

    /**
     * Returns the L2 norm of {@link #gradient()}, computed in float64: the squares of a float32 gradient of 1e-22
     * would underflow to 0 in float32.
     *
     * @return |dL/dx|, 0 when the backward pass did not reach the probe
     * @throws IllegalStateException if no forward pass went through the probe yet
     */
    public double gradientNorm() {
        try (NDArray gradient = gradient();
                NDArray wide = gradient.toType(DataType.FLOAT64, false);
                NDArray norm = wide.norm()) {
            return norm.getDouble();
        }
    }
}
