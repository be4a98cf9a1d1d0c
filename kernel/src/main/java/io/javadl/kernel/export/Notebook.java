package io.javadl.kernel.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A notebook's code cells, in order, as its {@code .ipynb} file (nbformat 4) holds them.
 *
 * @param file the notebook file
 * @param cells its code cells; markdown and raw cells are left out
 */
record Notebook(Path file, List<CodeCell> cells) {

    /**
     * A code cell.
     *
     * @param id the cell's id, or {@code cell-N} (its place among the code cells) where the file has none
     * @param source its source
     */
    record CodeCell(String id, String source) {}

    /** The file's name without {@code .ipynb}: {@code 09-train-cifar10}. */
    String stem() {
        String name = file.getFileName().toString();
        return name.endsWith(".ipynb") ? name.substring(0, name.length() - ".ipynb".length()) : name;
    }

    /**
     * Reads a notebook file.
     *
     * @throws ExportException if the file cannot be read or is not a Jupyter notebook; the message names it
     */
    static Notebook read(Path file) {
        JsonObject notebook;
        try {
            notebook = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new ExportException(file + ": cannot read it (" + e.getMessage() + ")", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new ExportException(file + ": not a Jupyter notebook, whose file is JSON (" + e.getMessage() + ")",
                    e);
        }
        JsonElement format = notebook.get("nbformat");
        boolean four = format != null && format.isJsonPrimitive() && format.getAsJsonPrimitive().isNumber()
                && format.getAsInt() == 4;
        if (!four || !notebook.has("cells")) {
            throw new ExportException(file + ": not a Jupyter notebook of format 4 (nbformat " + format
                    + "); open and save it in JupyterLab, which writes format 4");
        }
        List<CodeCell> cells = new ArrayList<>();
        try {
            for (JsonElement element : notebook.getAsJsonArray("cells")) {
                JsonObject cell = element.getAsJsonObject();
                if ("code".equals(cell.get("cell_type").getAsString())) {
                    String id = cell.has("id") ? cell.get("id").getAsString() : "cell-" + (cells.size() + 1);
                    cells.add(new CodeCell(id, text(cell.get("source"))));
                }
            }
        } catch (RuntimeException e) { // a cell without its type or source, or with values of the wrong kind
            throw new ExportException(file + ": its cell " + (cells.size() + 1) + " is not a notebook cell ("
                    + e + "); open and save the notebook in JupyterLab, which repairs what it can", e);
        }
        return new Notebook(file, List.copyOf(cells));
    }

    /** A cell's source: nbformat allows one string or a list of lines. */
    private static String text(JsonElement source) {
        if (source instanceof JsonArray lines) {
            StringBuilder text = new StringBuilder();
            lines.forEach(line -> text.append(line.getAsString()));
            return text.toString();
        }
        return source.getAsString();
    }
}
