package dev.linnet.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every engine command answers a usage mistake the same way: exit code 2 and one line on stderr that names
 * the command and the option, never a stack trace; nothing runs.
 */
class UsageErrorsTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                commandLine.isEmpty() ? new String[0] : commandLine.split(" "),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // a missing value
                "check-reference --model                          | check-reference: --model needs a value: --model DIR",
                "check-reference --model m --reference            | check-reference: --reference needs a value: --reference FILE",
                "check-reference --model --reference r            | check-reference: --model needs a value",
                "bench --window                                   | bench: --window needs a value: --window W",
                "bench --runs --no-peak                           | bench: --runs needs a value: --runs N",
                "tokenize --tokenizer                             | tokenize: --tokenizer needs a value: --tokenizer FILE",
                // an unknown option or argument
                "check-reference --modle m --reference r          | check-reference: unknown option '--modle'",
                "bench --frobnicate 3                             | bench: unknown option '--frobnicate'",
                "bench 512                                        | bench: unexpected argument '512'",
                "tokenize --tokenizer t --special=yes             | tokenize: --special takes no value, got 'yes'",
                "bench --no-peak=yes                              | bench: --no-peak takes no value, got 'yes'",
                // a bad number or choice
                "check-reference --model m --reference r --tolerance abc | check-reference: --tolerance expects a number, got 'abc'",
                "check-reference --model m --reference r --weights f8    | check-reference: --weights expects one of as_stored, f32, bf16, got 'f8'",
                "bench --window 1k                                | bench: --window expects a whole number, got '1k'",
                "bench --window 0                                 | bench: --window must be at least 1, got 0",
                "bench --chunks 1,x,64                            | bench: --chunks expects whole numbers separated by commas, got '1,x,64'",
                "bench --chunks=0                                 | bench: --chunks values must be from 1 to 1048576, got '0'",
                "bench --seconds -1                               | bench: --seconds must be a finite number above 0.0, got '-1'",
                "bench --runs two                                 | bench: --runs expects a whole number, got 'two'",
                "bench --runs 0                                   | bench: --runs must be at least 1, got 0",
                "bench --history 1000,-1                          | bench: --history values must be from 0 to 9223372036854775807, got '1000,-1'",
                "bench --weights fp8                              | bench: --weights expects one of as_stored, f32, bf16, got 'fp8'",
                // required, repeated
                "check-reference --reference r                    | check-reference: missing --model DIR",
                "tokenize                                         | tokenize: missing --tokenizer FILE",
                "tokenize --tokenizer a --tokenizer b             | tokenize: --tokenizer is given twice",
                "bench --runs 2 --runs 3                          | bench: --runs is given twice",
                "frobnicate                                       | unknown command 'frobnicate'",
            })
    void aUsageMistakeIsOneLineAndExitCodeTwo(String commandLine, String expected) throws Exception {
        Result r = run(commandLine.strip());
        assertEquals(2, r.code(), commandLine + "\n" + r.err());
        assertEquals("", r.out(), "nothing on stdout for " + commandLine);
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "one line for " + commandLine + ":\n" + r.err());
        assertTrue(
                lines[0].startsWith(expected), "for " + commandLine + " expected '" + expected + "', got: " + lines[0]);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"check-reference", "bench", "tokenize"})
    void helpGoesToStdoutWithExitCodeZero(String command) throws Exception {
        Result r = run(command + " --help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage:"), r.out());
        assertEquals("", r.err());
        Result h = run(command + " -h");
        assertEquals(r.out(), h.out());
    }
}
