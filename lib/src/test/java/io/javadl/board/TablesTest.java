package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class TablesTest {

    @Test
    void roundsDecimalColumnsForDisplayOnly() {
        Table table = Table.create("results",
                IntColumn.create("epochs", new int[] {12345}),
                DoubleColumn.create("loss", new double[] {0.123456789}),
                FloatColumn.create("accuracy", new float[] {0.98765f}));

        assertSame(table, Tables.rounded(table, 2));

        String shown = table.print();
        assertTrue(shown.contains("0.12") && !shown.contains("0.123"), shown);
        assertTrue(shown.contains("0.99") && !shown.contains("0.987"), shown);
        assertTrue(shown.contains("12345"), shown);  // whole numbers untouched
        assertTrue(table.doubleColumn("loss").get(0) == 0.123456789);
        assertThrows(IllegalArgumentException.class, () -> Tables.rounded(table, -1));
    }
}
