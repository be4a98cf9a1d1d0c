package io.javadl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and clips the gradients a backward pass left in a block's parameters: the measurements behind the
 * vanishing and exploding gradients of the course's gradient-stability notebook.
 *
 * <p>Call these after {@code GradientCollector.backward} and before the optimizer step. They hold on to no
 * array: each gradient is read (or scaled in place) and its handle closed.
 */
public final class Gradients {

    private Gradients() {
    }

    /**
     * Returns the L2 norm of the gradient of every weight, in the block's order (the first layer first). Biases,
     * and batch-norm gammas and betas, are left out.
     *
     * @param block an initialized block after a backward pass
     * @return parameter path (such as {@code 01Linear_weight}) to the norm of its gradient
     */
    public static Map<String, Double> weightNorms(Block block) {
        Map<String, Double> norms = new LinkedHashMap<>();
        for (Pair<String, Parameter> named : block.getParameters()) {
            if (named.getValue().getType() == Parameter.Type.WEIGHT) {
                norms.put(named.getKey(), normOf(named.getValue()));
            }
        }
        return norms;
    }

    /**
     * Rescales all gradients together so that their joint L2 norm is at most {@code maxNorm}, like PyTorch's
     * {@code clip_grad_norm_}: when the norm is larger, every gradient is multiplied by
     * {@code maxNorm / (norm + 1e-6)}, which keeps its direction.
     *
     * @param block an initialized block after a backward pass
     * @param maxNorm the largest joint norm allowed, above 0
     * @return the joint norm before clipping
     */
    public static double clipNorm(Block block, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be above 0, not " + maxNorm);
        }
        List<Parameter> trained = new ArrayList<>();
        double squares = 0;
        for (Pair<String, Parameter> named : block.getParameters()) {
            Parameter parameter = named.getValue();
            if (parameter.requiresGradient() && parameter.isInitialized()) {
                double norm = normOf(parameter);
                squares += norm * norm;
                trained.add(parameter);
            }
        }
        double total = Math.sqrt(squares);
        double scale = maxNorm / (total + 1e-6);
        if (scale < 1) {
            for (Parameter parameter : trained) {
                try (NDArray gradient = parameter.getArray().getGradient()) {
                    gradient.muli(scale);
                }
            }
        }
        return total;
    }

    private static double normOf(Parameter parameter) {
        // in float64: the squares of a float32 gradient of 1e-22 would underflow to 0 in float32
        try (NDArray gradient = parameter.getArray().getGradient();
                NDArray wide = gradient.toType(DataType.FLOAT64, false);
                NDArray norm = wide.norm()) {
            return norm.getDouble();
        }
    }
}
