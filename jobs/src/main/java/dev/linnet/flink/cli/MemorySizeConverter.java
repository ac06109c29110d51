package dev.linnet.flink.cli;

import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine;

/** Reads a size as Flink's options do: {@code 1048576}, {@code 512kb}, {@code 1mb}, {@code 2 mb}. */
public final class MemorySizeConverter implements CommandLine.ITypeConverter<MemorySize> {

    @Override
    public MemorySize convert(String value) {
        try {
            return MemorySize.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a size: write e.g. 1048576, 512kb or 1mb");
        }
    }
}
