package dev.linnet.flink.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Enum values as they are written on the command line: lower case, with dashes ({@code record-key}). */
class EnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {

    private final Class<E> type;

    EnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        String name = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + names(type));
    }

    static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(EnumConverter::cliName)
                .collect(Collectors.joining(", "));
    }

    static String cliName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static final class KeySourceConverter extends EnumConverter<dev.linnet.flink.jobs.KeySource> {
        KeySourceConverter() {
            super(dev.linnet.flink.jobs.KeySource.class);
        }
    }

    static final class StartingOffsetsConverter extends EnumConverter<dev.linnet.flink.jobs.StartingOffsets> {
        StartingOffsetsConverter() {
            super(dev.linnet.flink.jobs.StartingOffsets.class);
        }
    }

    static final class AlarmRuleConverter extends EnumConverter<dev.linnet.flink.jobs.AlarmRule> {
        AlarmRuleConverter() {
            super(dev.linnet.flink.jobs.AlarmRule.class);
        }
    }

    static final class StatePrecisionConverter extends EnumConverter<dev.linnet.engine.state.StatePrecision> {
        StatePrecisionConverter() {
            super(dev.linnet.engine.state.StatePrecision.class);
        }
    }

    static final class StateLayoutConverter extends EnumConverter<dev.linnet.flink.operator.StateLayout> {
        StateLayoutConverter() {
            super(dev.linnet.flink.operator.StateLayout.class);
        }
    }
}
