package dev.linnet.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Encoding;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code tokenize --tokenizer FILE [--special]}: JSON lines {@code {"text": ...}} on stdin, one
 * {@code {"ids": [...]}} line per input line on stdout, in order, with a HuggingFace tokenizer.json.
 */
public final class TokenizeCommand implements Command {
    private static final String USAGE = String.join(
            "\n",
            "usage: java -jar linnet-engine.jar tokenize --tokenizer FILE [--special]",
            "  Reads JSON lines {\"text\": \"...\"} on stdin and writes one {\"ids\": [...]} line per input line",
            "  on stdout, in the same order, with the ids HuggingFace tokenizers gives for that tokenizer.json",
            "  (byte-level BPE: GPT-2, Llama 3, Qwen and similar).",
            "  --tokenizer FILE  the tokenizer.json to use",
            "  --special         recognise special tokens such as <|endoftext|> written in the text (off by",
            "                    default: the text is tokenized as plain characters)",
            "  --help            this text");

    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenizeCommand() {}

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "text to token ids with a HuggingFace tokenizer.json (JSON lines in, JSON lines out)";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        Path file;
        boolean special;
        try {
            CommandArgs a = CommandArgs.parse(name(), args, Map.of("--tokenizer", "FILE"), Set.of("--special"));
            if (a.help()) {
                out.println(USAGE);
                return 0;
            }
            file = a.requiredPath("--tokenizer");
            special = a.flag("--special");
        } catch (CommandArgs.UsageException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("tokenize: --tokenizer " + file + ": no such file (give the path of a tokenizer.json)");
            return 2;
        }
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizer.load(file);
        } catch (JsonProcessingException e) {
            err.println(file + " is not valid JSON: " + e.getOriginalMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("cannot use " + file + ": " + e.getMessage());
            return 1;
        }
        EncodeOptions options = EncodeOptions.DEFAULT.specialTokensRecognized(special);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder line = new StringBuilder(256);
        long lineNo = 0;
        long replaced = 0;
        try {
            for (String input; (input = reader.readLine()) != null; ) {
                lineNo++;
                String text = textOf(input);
                if (text == null) {
                    writer.flush();
                    err.println("stdin line " + lineNo + ": expected a JSON object with a string field \"text\", like"
                            + " {\"text\": \"hello\"}; got: " + abbreviate(input));
                    return 1;
                }
                Encoding e = tokenizer.encodeText(text, options);
                replaced += e.replacements();
                line.setLength(0);
                line.append("{\"ids\":[");
                int[] ids = e.ids();
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    line.append(ids[i]);
                }
                line.append("]}\n");
                writer.append(line);
            }
        } finally {
            writer.flush();
        }
        if (replaced > 0) {
            err.println("note: " + replaced + " lone surrogate escapes in the input were tokenized as U+FFFD");
        }
        return 0;
    }

    /** The "text" field of a JSON line, or null if the line is not such an object. */
    private static String textOf(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode text = node.get("text");
            return text != null && text.isTextual() ? text.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
