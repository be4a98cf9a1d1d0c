package io.javadl.kernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookTest {

    @TempDir
    Path folder;

    @Test
    void readsTheCodeCellsInOrderWhateverFormTheirSourceHas() throws IOException {
        Path file = Files.writeString(folder.resolve("01-datasets.ipynb"), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                  {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# Title"},
                  {"cell_type": "code", "id": "nb01-02", "metadata": {}, "source": ["int a = 1;\\n", "a"]},
                  {"cell_type": "code", "metadata": {}, "source": "a + 1"}]}""");

        Notebook notebook = Notebook.read(file);

        assertEquals("01-datasets", notebook.stem());
        assertEquals(List.of(new Notebook.CodeCell("nb01-02", "int a = 1;\na"), new Notebook.CodeCell("cell-2",
                "a + 1")), notebook.cells());
    }

    @Test
    void anOldFormatIsRefusedWithWhatToDo() throws IOException {
        Path file = Files.writeString(folder.resolve("old.ipynb"), "{\"nbformat\": 3, \"worksheets\": []}");

        ExportException error = assertThrows(ExportException.class, () -> Notebook.read(file));

        assertTrue(error.getMessage().startsWith(file + ": not a Jupyter notebook of format 4"), error.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = folder.resolve("missing.ipynb");

        ExportException error = assertThrows(ExportException.class, () -> Notebook.read(missing));

        assertTrue(error.getMessage().startsWith(missing + ": cannot read it"), error.getMessage());
    }
}
