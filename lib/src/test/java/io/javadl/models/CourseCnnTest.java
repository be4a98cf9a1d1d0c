package io.javadl.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CourseCnnTest {

    @Test
    void eachLayerGivesTheShapeTheCourseDraws() {
        SequentialBlock cnn = CourseCnn.newBlock();
        try (NDManager manager = NDManager.newBaseManager()) {
            cnn.initialize(manager, DataType.FLOAT32, new Shape(64, 3, 32, 32));
        }
        List<Shape> shapes = new ArrayList<>();
        Shape[] in = {new Shape(64, 3, 32, 32)};
        for (Block layer : cnn.getChildren().values()) {
            in = layer.getOutputShapes(in);
            shapes.add(in[0]);
        }
        assertEquals(List.of(new Shape(64, 32, 32, 32), new Shape(64, 32, 16, 16),
                new Shape(64, 32, 16, 16), new Shape(64, 32, 8, 8),
                new Shape(64, 64, 8, 8), new Shape(64, 64, 4, 4),
                new Shape(64, 1024), new Shape(64, 64), new Shape(64, 10)), shapes);
    }

    @Test
    void hasTheParametersOfTheCourseModel() {
        SequentialBlock cnn = CourseCnn.newBlock();
        try (NDManager manager = NDManager.newBaseManager()) {
            cnn.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long count = cnn.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            // weights + biases: 3*32*25+32, 32*32*25+32, 32*64*25+64, 1024*64+64, 64*10+10
            assertEquals(2432 + 25632 + 51264 + 65600 + 650, count);
            assertArrayEquals(new long[] {32, 3, 5, 5},
                    cnn.getParameters().get("01Conv2d_weight").getArray().getShape().getShape());
        }
    }
}
