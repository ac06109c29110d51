/**
 * HuggingFace {@code tokenizer.json} (byte-level BPE) in pure Java: {@link dev.linnet.engine.tokenizer.Tokenizer}.
 *
 * <h2>Pipeline (HF's order)</h2>
 * <ol>
 *   <li>UTF-8 bytes are decoded with U+FFFD for each maximal ill-formed subsequence, counted
 *       ({@link dev.linnet.engine.tokenizer.Utf8}).</li>
 *   <li>Added tokens with normalized=false are matched in the raw text, leftmost-longest
 *       ({@link dev.linnet.engine.tokenizer.AddedVocabulary}); special ones only when asked.</li>
 *   <li>Each stretch between them is normalized (NFC/NFD/NFKC/NFKD via java.text.Normalizer), then added
 *       tokens with normalized=true are matched in it.</li>
 *   <li>Pre-tokenizers cut the rest into pieces: Split (all behaviors, invert) and ByteLevel (add_prefix_space,
 *       GPT-2 regex). GPT-2's and the cl100k/Llama-3/Qwen-2 patterns run on hand-written scanners
 *       ({@link dev.linnet.engine.tokenizer.PatternScanner}, tested equal to java.util.regex on random text);
 *       other regexes run on java.util.regex with Oniguruma's Unicode semantics.</li>
 *   <li>Each piece's UTF-8 bytes go through BPE ({@link dev.linnet.engine.tokenizer.BytePairModel}): lowest merge
 *       rank first, leftmost among equals, by array scan for short pieces and a heap for long ones; results of
 *       pieces up to 48 chars are cached per thread.</li>
 * </ol>
 *
 * <h2>Where this differs from HF tokenizers, on purpose</h2>
 * <ul>
 *   <li>Offsets are UTF-8 byte spans in the record, exact to the byte for tokens that cover part of a
 *       character (HF widens them to whole characters); a stretch changed by normalization maps as a whole
 *       (HF maps a composed character to its first original character only); a space added by
 *       add_prefix_space has an empty span; ByteLevel's trim_offsets is not applied.</li>
 *   <li>An added token decodes to its own text (HF's ByteLevel decoder garbles one with Latin-1 letters).</li>
 *   <li>decode refuses ids that are not in the vocabulary (HF skips them silently).</li>
 *   <li>"truncation" and "padding" are ignored.</li>
 * </ul>
 * Character classes come from the JDK's Unicode tables (Unicode 13 on Java 17; Oniguruma in tokenizers
 * 0.23 is newer): letters and digits assigned after Unicode 13 count as "other" here.
 *
 * <h2>Large records</h2>
 * Records over 2 MB are encoded in chunks of about 1 MB cut after a newline between printable ASCII
 * characters, when the tokenizer's pre-tokenizer guarantees a piece boundary there and nothing (prefix
 * space, added token, lstrip) reaches across; the tokens are those of the whole record. With
 * {@link dev.linnet.engine.tokenizer.TokenSink} nothing but one chunk is held at a time.
 */
package dev.linnet.engine.tokenizer;
