package dev.linnet.engine.layers;

/**
 * One stream's chunk inside a batch of rows: rows [rowStart, rowStart + length) of the batch belong to it,
 * and its first row sits at absolute position {@code position} of its stream (tokens seen before).
 */
public record Segment(int rowStart, int length, long position) {}
