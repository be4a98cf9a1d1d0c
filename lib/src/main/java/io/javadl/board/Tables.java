package io.javadl.board;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** Small conveniences for showing tablesaw tables of results. */
public final class Tables {

    private Tables() {
    }

    /**
     * Shows every decimal column of {@code table} rounded to {@code decimals} places (tablesaw otherwise prints
     * every digit of a float). Only the display changes; the values stay exact.
     *
     * @param table the table, changed in place
     * @param decimals the places after the point, 0 or more
     * @return the same table, so that a cell can end with it
     */
    public static Table rounded(Table table, int decimals) {
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be 0 or more, not " + decimals);
        }
        for (Column<?> column : table.columns()) {
            if (column instanceof DoubleColumn doubles) {
                doubles.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(decimals));
            } else if (column instanceof FloatColumn floats) {
                floats.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(decimals));
            }
        }
        return table;
    }
}
