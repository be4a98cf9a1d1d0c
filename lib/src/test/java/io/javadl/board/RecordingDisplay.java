package io.javadl.board;

import java.util.ArrayList;
import java.util.List;

/** A {@link Display} that keeps what it is asked to show, as a notebook's output area would. */
final class RecordingDisplay implements Display {

    record Shown(String id, Object value) {}

    final List<Shown> shown = new ArrayList<>();
    final List<Shown> updated = new ArrayList<>();

    @Override
    public String show(Object value) {
        String id = "display-" + shown.size();
        shown.add(new Shown(id, value));
        return id;
    }

    @Override
    public void update(String id, Object value) {
        updated.add(new Shown(id, value));
    }
}
