package io.javadl.kernel;

import java.util.stream.IntStream;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Shows a tablesaw {@link Table} as an HTML table, the way JupyterLab shows a pandas DataFrame: a header of
 * column names, at most {@value #MAX_ROWS} rows (the first and last half, with an ellipsis row between) and
 * at most {@value #MAX_COLUMNS} columns likewise, then the table's size. Every value is HTML-escaped.
 * {@code text/plain} stays tablesaw's own {@code toString()}.
 */
final class TableRenderer {

    static final int MAX_ROWS = 20;
    static final int MAX_COLUMNS = 20;

    private static final String ELLIPSIS = "&hellip;";

    private TableRenderer() {}

    /** Registers the {@code text/html} rendering of tablesaw tables with a kernel's renderer. */
    static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, () -> toHtml(table)));
    }

    /**
     * Returns the HTML for a table, cut to {@value #MAX_ROWS} rows and {@value #MAX_COLUMNS} columns.
     *
     * @param table the table to show; it is only read
     * @return an HTML {@code div} holding the table and a line with its size
     */
    static String toHtml(Table table) {
        int rows = table.rowCount();
        int columns = table.columnCount();
        int[] shownRows = shown(rows, MAX_ROWS);
        int[] shownColumns = shown(columns, MAX_COLUMNS);

        StringBuilder html = new StringBuilder("<div>\n<table class=\"dataframe\">\n");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>\n");
        }
        html.append("<thead>\n<tr>");
        for (int c : shownColumns) {
            html.append(c < 0 ? "<th>" + ELLIPSIS + "</th>" : "<th>" + escape(table.column(c).name()) + "</th>");
        }
        html.append("</tr>\n</thead>\n<tbody>\n");
        for (int r : shownRows) {
            html.append("<tr>");
            for (int c : shownColumns) {
                String cell = r < 0 || c < 0 ? ELLIPSIS : escape(cellText(table.column(c), r));
                html.append("<td>").append(cell).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n<p>")
                .append(rows).append(rows == 1 ? " row" : " rows")
                .append(" &times; ")
                .append(columns).append(columns == 1 ? " column" : " columns")
                .append("</p>\n</div>");
        return html.toString();
    }

    private static String cellText(Column<?> column, int row) {
        return column.isMissing(row) ? "" : column.getString(row);
    }

    /**
     * Picks the indices to show out of {@code count}: all of them when they fit, otherwise the first and last
     * {@code max / 2}, with {@code -1} marking the gap between.
     */
    static int[] shown(int count, int max) {
        if (count <= max) {
            return IntStream.range(0, count).toArray();
        }
        int half = max / 2;
        int[] picked = new int[2 * half + 1];
        for (int i = 0; i < half; i++) {
            picked[i] = i;
            picked[half + 1 + i] = count - half + i;
        }
        picked[half] = -1;
        return picked;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
