package io.javadl.board;

/**
 * Where pictures go when code runs in a notebook: the output of the running cell. The kernel extension
 * installs one with {@link Displays#install}; outside Jupyter there is none and nothing is shown.
 * Implementations render the value the way the notebook would show it as a cell's result.
 */
public interface Display {

    /**
     * Shows a value in the output of the running cell.
     *
     * @param value a picture ({@code BufferedImage}, an XChart chart) or text
     * @return an id for {@link #update}, or {@code null} if no cell is running and nothing was shown
     */
    String show(Object value);

    /**
     * Replaces an earlier {@link #show}n output with a new value, in whichever cell it is.
     *
     * @param id what {@link #show} returned
     * @param value the new picture or text
     */
    void update(String id, Object value);
}
