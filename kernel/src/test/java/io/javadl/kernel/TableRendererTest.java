package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableRendererTest {

    private static Table numbers(int rows, int columns) {
        Table table = Table.create("numbers");
        for (int c = 0; c < columns; c++) {
            int offset = 1000 * c;
            table.addColumns(IntColumn.create("c" + c, IntStream.range(0, rows).map(r -> offset + r).toArray()));
        }
        return table;
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void kernelRendererGivesHtmlAndKeepsTablesawText() {
        Renderer renderer = new Renderer();
        TableRenderer.register(renderer);
        Table table = numbers(3, 2);

        DisplayData shown = renderer.render(table);

        assertTrue(((String) shown.getData(MIMEType.TEXT_HTML)).startsWith("<div>\n<table class=\"dataframe\">"));
        assertEquals(table.toString(), shown.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void showsHeaderRowsAndSize() {
        String html = TableRenderer.toHtml(numbers(3, 2));

        assertTrue(html.contains("<caption>numbers</caption>"), html);
        assertTrue(html.contains("<tr><th>c0</th><th>c1</th></tr>"), html);
        assertTrue(html.contains("<tr><td>0</td><td>1000</td></tr>\n<tr><td>1</td><td>1001</td></tr>\n"
                + "<tr><td>2</td><td>1002</td></tr>"), html);
        assertTrue(html.contains("<p>3 rows &times; 2 columns</p>"), html);
    }

    @Test
    void escapesNamesAndValues() {
        Table table = Table.create("<script>",
                StringColumn.create("a&b", "<b>bold</b>", "\"quoted\" & 'single'"));

        String html = TableRenderer.toHtml(table);

        assertFalse(html.contains("<script>") || html.contains("<b>"), html);
        assertTrue(html.contains("<caption>&lt;script&gt;</caption>"), html);
        assertTrue(html.contains("<th>a&amp;b</th>"), html);
        assertTrue(html.contains("<td>&lt;b&gt;bold&lt;/b&gt;</td>"), html);
        assertTrue(html.contains("<td>&quot;quoted&quot; &amp; &#39;single&#39;</td>"), html);
    }

    @Test
    void longTableShowsFirstAndLastTenRows() {
        String html = TableRenderer.toHtml(numbers(25, 1));

        assertEquals(1 + 21, count(html, "<tr>"), html); // header, 10 rows, the ellipsis row, 10 rows
        assertTrue(html.contains("<td>9</td></tr>\n<tr><td>&hellip;</td></tr>\n<tr><td>15</td>"), html);
        assertTrue(html.contains("<td>24</td>"), html);
        assertFalse(html.contains("<td>10</td>") || html.contains("<td>14</td>"), html);
        assertTrue(html.contains("<p>25 rows &times; 1 column</p>"), html);
    }

    @Test
    void wideTableShowsFirstAndLastTenColumns() {
        String html = TableRenderer.toHtml(numbers(1, 30));

        assertEquals(21, count(html, "<th>"), html);
        assertTrue(html.contains("<th>c9</th><th>&hellip;</th><th>c20</th>"), html);
        assertTrue(html.contains("<td>9000</td><td>&hellip;</td><td>20000</td>"), html);
        assertTrue(html.contains("<p>1 row &times; 30 columns</p>"), html);
    }

    @Test
    void missingValuesShowAsEmptyCells() {
        DoubleColumn column = DoubleColumn.create("x", 1.5, 2.5);
        column.setMissing(1);

        String html = TableRenderer.toHtml(Table.create("t", column));

        assertTrue(html.contains("<tr><td>1.5</td></tr>\n<tr><td></td></tr>"), html);
    }

    @Test
    void emptyTableStillShowsItsColumns() {
        String html = TableRenderer.toHtml(Table.create("", StringColumn.create("name")));

        assertFalse(html.contains("<caption>"), html);
        assertTrue(html.contains("<tr><th>name</th></tr>\n</thead>\n<tbody>\n</tbody>"), html);
        assertTrue(html.contains("<p>0 rows &times; 1 column</p>"), html);
    }

    @Test
    void picksAllIndicesWhenTheyFitElseBothEnds() {
        assertArrayEquals(new int[] {0, 1, 2}, TableRenderer.shown(3, 20));
        assertArrayEquals(IntStream.range(0, 20).toArray(), TableRenderer.shown(20, 20));
        assertArrayEquals(new int[] {0, 1, -1, 19, 20}, TableRenderer.shown(21, 4));
    }
}
