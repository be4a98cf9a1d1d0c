/**
 * Programs the project's tools run with the kernel's Java and class path ({@code make setup}, {@code make
 * gpu-check}), kept apart from the course library: the kernel does not import this package into notebooks, since
 * a {@code main} that ends in {@link System#exit(int)} would end the kernel.
 */
package io.javadl.tools;
