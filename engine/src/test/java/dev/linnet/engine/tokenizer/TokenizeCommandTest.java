package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.cli.TokenizeCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) throws Exception {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return new TokenizeCommand()
                .run(
                        args,
                        in,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path tokenizerFile() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/llama3-style.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    private static String idsLine(int[] ids) {
        return "{\"ids\":[" + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "]}";
    }

    @Test
    void writesOneIdsLinePerTextLineInOrder() throws Exception {
        Path file = tokenizerFile();
        Tokenizer tok = Tokenizer.load(file);
        String a = "2024-03-01 ERROR disk full";
        String b = "a<|endoftext|>b \u65e5\u672c";
        String stdin = "{\"text\": \"" + a
                + "\"}\n{\"text\": \"a<|endoftext|>b \\u65e5\\u672c\", \"id\": 7}\n{\"text\": \"\"}\n";
        assertEquals(0, run(stdin, "--tokenizer", file.toString()), err.toString());
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertEquals(idsLine(tok.encode(a)), lines[0]);
        assertEquals(idsLine(tok.encode(b)), lines[1]);
        assertEquals("{\"ids\":[]}", lines[2]);

        out.reset();
        assertEquals(0, run(stdin, "--tokenizer=" + file, "--special"));
        String[] special = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(idsLine(tok.encode(b, EncodeOptions.DEFAULT.specialTokensRecognized(true))), special[1]);
        assertTrue(!special[1].equals(lines[1]), "--special changes how <|endoftext|> is read");
    }

    @Test
    void errorsSayWhatToFix() throws Exception {
        assertEquals(2, run("", "--tokenizer"));
        assertTrue(err.toString().contains("--tokenizer needs a value: --tokenizer FILE"), err.toString());
        err.reset();
        assertEquals(2, run(""));
        assertTrue(err.toString().contains("missing --tokenizer"));
        err.reset();
        assertEquals(2, run("", "--tokenizer", dir.resolve("nope.json").toString()));
        assertTrue(err.toString().contains("no such file"), err.toString());
        err.reset();
        assertEquals(2, run("", "--tokenizer", "x", "--frobnicate"));
        assertTrue(err.toString().contains("--frobnicate"));
        err.reset();
        Path file = tokenizerFile();
        assertEquals(1, run("{\"text\": \"ok\"}\n{\"txt\": 1}\n", "--tokenizer", file.toString()));
        assertTrue(err.toString().contains("line 2"), err.toString());
        assertEquals(1, out.toString(StandardCharsets.UTF_8).split("\n").length, "the good line was still written");
        err.reset();
        Path wordPiece = dir.resolve("wp.json");
        Files.writeString(wordPiece, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        assertEquals(1, run("", "--tokenizer", wordPiece.toString()));
        assertTrue(err.toString().contains("WordPiece"), err.toString());
    }

    @Test
    void helpPrintsUsage() throws Exception {
        assertEquals(0, run("", "--help"));
        assertTrue(out.toString().contains("usage:") && out.toString().contains("--special"));
    }
}
