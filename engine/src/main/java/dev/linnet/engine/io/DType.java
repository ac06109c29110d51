package dev.linnet.engine.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Element types of safetensors tensors this reader understands, spelled as the format spells them. */
public enum DType {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** F64, F32, F16 or BF16: readable as float or double. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** I64, I32, I16, I8, U8 or BOOL: readable as long. */
    public boolean isIntegral() {
        return !isFloatingPoint();
    }

    /**
     * The dtype named {@code s} exactly as a safetensors header writes it ("F32", "BF16", ...).
     *
     * @param file   the file whose header holds it, for the message
     * @param tensor the tensor it describes, for the message
     * @throws CheckpointFormatException naming the unknown string (F8_E4M3, U32, C64 and the like included)
     */
    public static DType parse(String s, Path file, String tensor) throws CheckpointFormatException {
        if (s != null) {
            for (DType t : values()) {
                if (t.name().equals(s)) {
                    return t;
                }
            }
        }
        String known = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        String shown = s == null ? "null" : CheckpointFormatException.quote(s);
        throw new CheckpointFormatException(
                file, tensor, "unknown dtype " + shown + " (this reader knows " + known + ")");
    }
}
