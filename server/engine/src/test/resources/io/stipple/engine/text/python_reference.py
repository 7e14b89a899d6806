#!/usr/bin/python3
"""Independent Python model of the prompt -> CLIP token chunks path, used to make
python_reference.json (the expected values of PythonReferenceTest).

It follows transformers' slow CLIPTokenizer without ftfy (BERT BasicTokenizer clean-up, the CLIP
pre-tokenizer regex, byte-level BPE) and ComfyUI's comfy/sd1_clip.py (escape_important,
parse_parentheses, token_weights, embedding references when the embedding is missing,
tokenize_with_weights chunking), relying on Python's own str.lower, str.split, str.isspace,
float() and unicodedata, which are the behaviours the Java port imitates. There is no HTML
unescaping: the ftfy-absent path has none.

Usage: /usr/bin/python3 python_reference.py VOCAB_DIR > python_reference.json
(VOCAB_DIR holds vocab.json and merges.txt). Python only; the Java tests do not run it.
"""
import json
import re
import sys
import unicodedata

import numpy as np


def category_ranges(prefix):
    ranges, start = [], None
    for cp in range(0x110000):
        inside = unicodedata.category(chr(cp)).startswith(prefix) and not (0xD800 <= cp <= 0xDFFF)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x10FFFF))
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


L, N = category_ranges("L"), category_ranges("N")
PAT = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[" + L + "]+|[" + N + "]|[^\\s" + L + N + "]+",
                 re.IGNORECASE)


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


class Bpe:
    def __init__(self, vocab_dir):
        self.encoder = json.load(open(vocab_dir + "/vocab.json", encoding="utf-8"))
        merges = open(vocab_dir + "/merges.txt", encoding="utf-8").read().strip().split("\n")[1:49152 - 256 - 2 + 1]
        self.ranks = {tuple(m.split()): i for i, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()

    def bpe(self, token):
        if token in ("<|startoftext|>", "<|endoftext|>"):
            return [token]
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == best[0] and word[i + 1] == best[1]:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = out
        return word

    @staticmethod
    def basic_clean(text):
        out = []
        for ch in text:
            cat = unicodedata.category(ch)
            if ord(ch) in (0, 0xFFFD) or (ch not in "\t\n\r" and cat.startswith("C")):
                continue
            if ch in " \t\n\r" or cat == "Zs":
                out.append(" ")
            elif is_cjk(ord(ch)):
                out.append(" " + ch + " ")
            else:
                out.append(ch)
        text = unicodedata.normalize("NFC", "".join(out))
        return " ".join(" ".join(w.lower() for w in text.split()).split())

    def encode_plain(self, text):
        ids = []
        for tok in PAT.findall(self.basic_clean(text)):
            tok = "".join(self.byte_encoder[b] for b in tok.encode("utf-8"))
            ids += [self.encoder.get(p, self.encoder["<|endoftext|>"]) for p in self.bpe(tok)]
        return ids

    def encode(self, text):
        # transformers splits the exactly spelled special tokens out before anything else
        ids = []
        for piece in re.split(r"(<\|startoftext\|>|<\|endoftext\|>)", text):
            if piece in ("<|startoftext|>", "<|endoftext|>"):
                ids.append(self.encoder[piece])
            elif piece:
                ids += self.encode_plain(piece)
        return ids


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def top_level(text):
    parts, cur, depth = [], "", 0
    for ch in text:
        if ch == "(":
            if depth == 0:
                if cur:
                    parts.append(cur)
                cur = ""
            cur += ch
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                parts.append(cur + ")")
                cur = ""
            else:
                cur += ch
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def weights(text, w):
    out = []
    for part in top_level(text):
        if len(part) >= 2 and part[0] == "(" and part[-1] == ")":
            inner, ww = part[1:-1], w * 1.1
            c = inner.rfind(":")
            if c > 0:
                try:
                    ww = float(inner[c + 1:])
                    inner = inner[:c]
                except ValueError:
                    pass
            out += weights(inner, ww)
        else:
            out.append((part, w))
    return out


def pieces(segment):
    """Text pieces of a weighted stretch, embedding references (all missing) dropped."""
    split = re.split(r"(?<=\s)embedding:", segment)
    words = [w for w in [split[0]] + ["embedding:" + s for s in split[1:]] if w != ""]
    out, dropped = [], []
    for word in words:
        if word.startswith("embedding:"):
            parts = word[len("embedding:"):].strip("\n").split()
            name, leftover = parts[0], " ".join(parts[1:])
            m = re.search(r"[<\[]", name)
            if m:
                leftover = name[m.start():] + (" " + leftover if leftover else "")
                name = name[:m.start()]
            stripped = name.strip(",")
            if len(stripped) < len(name):
                leftover = "{} {}".format(name[len(stripped):], leftover)
            dropped.append(name)
            if leftover == "":
                continue
            word = leftover
        out.append(word)
    return out, dropped


def tokenize(bpe, prompt, pad):
    text = prompt.replace("\\)", "\0\1").replace("\\(", "\0\2")
    groups, dropped = [], []
    for seg, w in weights(text, 1.0):
        words, d = pieces(seg.replace("\0\1", ")").replace("\0\2", "("))
        dropped += d
        groups += [[(t, w) for t in bpe.encode(word)] for word in words]
    chunks, batch = [], [(49406, 1.0)]
    chunks.append(batch)
    for g in groups:
        large = len(g) >= 8
        while g:
            if len(g) + len(batch) > 76:
                room = 77 - len(batch) - 1
                if large:
                    batch += g[:room]
                    g = g[room:]
                batch.append((49407, 1.0))
                batch += [(pad, 1.0)] * (77 - len(batch))
                batch = [(49406, 1.0)]
                chunks.append(batch)
            else:
                batch += g
                g = []
    batch.append((49407, 1.0))
    batch += [(pad, 1.0)] * (77 - len(batch))
    return chunks, dropped


PROMPTS = [
    "a photo of a cat",
    "A Photo Of A CAT",
    "masterpiece, best quality, 1girl, solo, looking at viewer",
    "(red:1.2) apple, (blue sky:0.8) and ((a hat))",
    "(((very nested)))",
    "((foo):1.1)",
    "((foo:1.1))",
    "foo ((((lol (cat:666) attack:100)))) baz",
    "foo ((((lol (cat:666) attack):100))) baz",
    "(word:abc)",
    "(word:)",
    "(:1.5) colon first",
    "(a:b:0.5)",
    "(word: 1.5 )",
    "(word:1_0)",
    "(word:1__0)",
    "(word:-0.5)",
    "(word:+.5e1)",
    "(word:1e)",
    "(word:0x10)",
    "(word:inf)",
    "(word:1.5f)",
    "(word:\u0661\u0662)",
    "()",
    "( )",
    "unbalanced (open",
    "unbalanced close) then (group)",
    "a) b (c) d",
    "an escaped \\(literal\\) paren and [brackets] are plain text",
    "\\((not weighted)\\)",
    "\\\\(double backslash)",
    "[de-emphasis] is [[not]] special",
    "{curly|braces} <angle> and |pipes|",
    "",
    "   ",
    "\n\t spaced \u00a0out\u3000text \r\n",
    "don't you're we've I'm we'll he'd it's DON'T",
    "rock'n'roll, 'quoted' and \u2019curly\u2019 apostrophes",
    "!!! ... ?!? --- *** ### $$$ %%%",
    "a+b=c; x<y>z @home #tag",
    "1024x768 resolution, 8k, 4K uhd, 3.14159",
    "\u00bd \u2153 \u00b2 \u2167 \u0663 digits",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c9COLE",
    "cafe\u0301 combining accent",
    "\u0130stanbul \u03a3\u039f\u03a6\u039f\u03a3",
    "X\u03a3:\u0130 \u039f\u03a3. \u03a3\u0301a \u1f08\u03a3' final sigma cases",
    "stra\u00dfe \u1e9e \ufb01 ligature",
    "\u65e5\u672c\u8a9e\u306e\u6587\u7ae0 \ud55c\uad6d\uc5b4 \u4e2d\u6587",
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \u043f\u0440\u0438\u0432\u0435\u0442",
    "emoji \U0001f600\U0001f431 \u2764\ufe0f \U0001f468\u200d\U0001f469\u200d\U0001f467 flags \U0001f1ef\U0001f1f5",
    "zero\u200bwidth soft\u00adhyphen bom\ufeffchar",
    "tom &amp; jerry &lt;3 &quot;quoted&quot; &#39;",
    "<|startoftext|>special<|endoftext|> tokens",
    "<|ENDOFTEXT|> and !!<|endoftext|>",
    "trailing comma, and period.",
    "a embedding:easynegative, masterpiece",
    "embedding:bad_prompt_v2 first",
    "(embedding:weighted:1.2) text",
    "x embedding:name,, rest",
    "x embedding:na[me] rest",
    "x embedding:,a, rest",
    "photoembedding:x is text",
    "x\nembedding:name\nnext line",
    "supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
    " ".join("word%d" % i for i in range(40)) + ", a very long prompt that needs two chunks of seventy five tokens",
    ", ".join("(tag%d:1.%d)" % (i, i % 10) for i in range(30)),
    ", ".join("short%d" % i for i in range(60)),
    "x " * 200,
    "(" + "long weighted stretch " * 20 + ":1.3)",
]


def main():
    bpe = Bpe(sys.argv[1])
    cases = []
    for p in PROMPTS:
        chunks, dropped = tokenize(bpe, p, 49407)
        ids = [[t for t, _ in c] for c in chunks]
        w = [[float(np.float32(x)) for _, x in c] for c in chunks]
        cases.append({"prompt": p, "ids": ids, "weights": w, "dropped_embeddings": dropped,
                      "encode": bpe.encode(p)})
    json.dump(cases, sys.stdout, ensure_ascii=True, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
