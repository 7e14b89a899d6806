/**
 * The text front end of Stable Diffusion as ComfyUI runs it, up to the text encoders: a prompt
 * becomes, per encoder, chunks of 77 token ids with a weight per token.
 *
 * <p>Entry points: {@link io.stipple.engine.text.PromptTokenizer#clipL()} (SD1.x, and SDXL's "l"),
 * {@link io.stipple.engine.text.PromptTokenizer#clipG()} (SDXL's OpenCLIP bigG "g", padded with 0),
 * {@link io.stipple.engine.text.SdxlTokenizedPrompt#tokenize(String)} for both, and
 * {@link io.stipple.engine.text.ClipBpeTokenizer} for bare BPE.
 *
 * <p>What is reproduced, and from where:
 * <ul>
 *   <li>BPE: transformers' slow {@code CLIPTokenizer} without ftfy (ComfyUI does not install ftfy):
 *       BERT-style clean-up, NFC, Python lower-casing, the CLIP pre-tokenizer regex, byte-level BPE
 *       over OpenAI's merges. Without ftfy there is no HTML unescaping, so "&amp;amp;" is three tokens.</li>
 *   <li>Weights and chunking: ComfyUI's {@code comfy/sd1_clip.py} ({@code token_weights},
 *       {@code escape_important}, {@code tokenize_with_weights}) at the golden data's commit: each
 *       weighted stretch of the prompt is tokenized separately, stretches of 8 or more tokens are cut at
 *       the chunk end (mid-word), shorter ones move whole to the next chunk.</li>
 *   <li>"embedding:NAME": the embedding's vectors fill one token slot each, with the stretch's weight
 *       ({@link io.stipple.engine.text.EmbeddingLookup}); a missing one is dropped with a warning, as
 *       ComfyUI drops it, and listed in {@link io.stipple.engine.text.TokenizedPrompt#droppedEmbeddings()}.</li>
 * </ul>
 * Character properties come from the JVM's Unicode tables (Unicode 16 in Java 25); Python 3.11's are
 * Unicode 14, so characters assigned since then (recent emoji among them) can tokenize differently
 * from a ComfyUI on such a Python.
 */
package io.stipple.engine.text;
