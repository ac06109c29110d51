package dev.linnet.engine.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lies and what it holds. {@code dataBegin} and {@code dataEnd} are absolute byte
 * positions in {@code file} (the 8-byte length and the JSON header already counted in), half-open:
 * the tensor's bytes are [dataBegin, dataEnd). Instances made by {@link SafetensorsFile} are validated:
 * dataEnd - dataBegin == elementCount() * dtype.byteSize(), with no overflow.
 *
 * <p>The shape array is copied in and out, so an instance is immutable; equals and hashCode compare
 * shapes by content.
 */
public record TensorInfo(String name, DType dtype, long[] shape, Path file, long dataBegin, long dataEnd) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(file, "file");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(shape) + " of " + name);
            }
        }
        if (dataBegin < 0 || dataEnd < dataBegin) {
            throw new IllegalArgumentException("bad data range [" + dataBegin + ", " + dataEnd + ") of " + name);
        }
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /** Product of the dimensions (1 for a scalar, 0 when any dimension is 0). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes the data occupies in the file. */
    public long byteLength() {
        return dataEnd - dataBegin;
    }

    /**
     * Whether the shape is {@code expected}; a negative expected dimension matches any size (so
     * {@code hasShape(-1, 64)} means "any number of rows of 64").
     */
    public boolean hasShape(long... expected) {
        if (expected.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (expected[i] >= 0 && expected[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    /** The shape as "[512, 64]". */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && file.equals(t.file)
                && dataBegin == t.dataBegin
                && dataEnd == t.dataEnd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), file, dataBegin, dataEnd);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString() + " in " + file + " bytes [" + dataBegin + ", " + dataEnd + ")";
    }
}
