#!/usr/bin/env python3
"""A corpus for measuring a secret scanner's recall and precision.

    make_corpus.py OUTDIR [--seed N] [--copies K]

writes
  OUTDIR/positive/...   every credential shape devops-monitor knows (K keys of each, 3 by
                        default), each key in one of several surroundings: .env lines (LF and
                        CR LF), Python,
                        JavaScript and Go string literals, YAML, JSON (a private key inside a
                        JSON string with \\n), URLs (?key=..., user:KEY@host), shell exports,
                        markdown code blocks;
  OUTDIR/negative/...   placeholders and look-alikes no scanner should report: hex digests,
                        git SHAs, UUIDs, lock-file digests, JWTs, "sk-your-key-here",
                        vendors' example keys, base64 blobs, words ending in a prefix ("task-",
                        "disk-"), prefixes followed by bodies of a length that makes them some
                        other token;
  OUTDIR/expected.json  [{"file": "positive/...", "line": N, "rule": "groq-api-key",
                        "shape": "Groq"}], one entry per planted key (the key itself is never
                        written anywhere but into its positive file).

Keys are drawn at run time from a seeded generator (the seed is printed by the callers so a
failure can be replayed); none is committed. Python's standard library only.

A random key that devops-monitor's placeholder rules would call a placeholder (a placeholder
word, 7 equal or counting characters, entropy under 2.5 bits per character: about 1 draw in
10 000, docs/secret-formats.md) is drawn again, so no seed can make the test fail by chance.
"""

import argparse
import base64
import hashlib
import json
import math
import os
import random
import string
import sys
import uuid

ALNUM = string.ascii_letters + string.digits
URL_SAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
BASE32 = string.ascii_uppercase + "234567"
BASE36 = string.digits + string.ascii_lowercase
DIGITS = string.digits

# devops-monitor's placeholder rules (src/scan/placeholder.cpp), to keep random keys clear of them.
PLACEHOLDER_WORDS = ["example", "placeholder", "dummy", "sample", "your", "fake", "redacted",
                     "changeme", "insert", "replace", "xxxx", "foobar", "secret"]


def looks_like_placeholder(key, body):
    for word in PLACEHOLDER_WORDS:
        if word in key or word.capitalize() in key or word.upper() in key:
            return True
    same = up = down = 1
    for a, b in zip(body, body[1:]):
        step = ord(b) - ord(a)
        same = same + 1 if step == 0 else 1
        up = up + 1 if step == 1 else 1
        down = down + 1 if step == -1 else 1
        if max(same, up, down) >= 7:
            return True
    counts = {}
    for c in body:
        counts[c] = counts.get(c, 0) + 1
    entropy = -sum(n / len(body) * math.log2(n / len(body)) for n in counts.values())
    return entropy < 2.5


class Draw:
    """Random text from a seeded generator; keys built from a prefix and random pieces."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def chars(self, alphabet, n):
        data = self.rng.randbytes(n * 2)
        return "".join(alphabet[(data[2 * i] << 8 | data[2 * i + 1]) % len(alphabet)]
                       for i in range(n))

    def key(self, prefix, *pieces):
        """prefix + pieces, each a literal string or an (alphabet, length) pair; drawn again
        while the body would pass for a placeholder."""
        while True:
            body = "".join(p if isinstance(p, str) else self.chars(*p) for p in pieces)
            if not looks_like_placeholder(prefix + body, body):
                return prefix + body


# How real keys' bodies start (scanners check for these): DER's SEQUENCE header of a 2048-bit
# RSA key ("MIIEpAIBAAKCAQEA..."), and OpenSSH's magic with its fixed header for an unencrypted
# ed25519 key, whose zero bytes make long runs of "A" before anything random.
KEY_BODY_START = {
    "RSA": b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00",
    "OPENSSH": b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00"
               b"\x00\x00\x00\x01\x00\x00\x00\x33\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20",
}


def private_key_block(d, kind):
    lines = ["-----BEGIN " + kind + " PRIVATE KEY-----"]
    raw = KEY_BODY_START[kind] + d.rng.randbytes(64 * 12)
    text = base64.b64encode(raw).decode()
    lines += [text[i:i + 64] for i in range(0, len(text), 64)]
    lines.append("-----END " + kind + " PRIVATE KEY-----")
    return "\n".join(lines)


# (shape, rule, generator). Prefixes are split ("gs" + "k_") so this file holds no key shape.
def shapes():
    sk = "sk" + "-"
    return [
        ("OpenAI project", "openai-project-key", lambda d: d.key(sk + "proj-", (URL_SAFE, 156))),
        ("OpenAI service account", "openai-service-account-key",
         lambda d: d.key(sk + "svcacct-", (URL_SAFE, 120))),
        ("OpenAI admin", "openai-admin-key", lambda d: d.key(sk + "admin-", (URL_SAFE, 100))),
        ("OpenAI legacy", "openai-legacy-key",
         lambda d: d.key(sk, (ALNUM, 20), "T3Blbk" + "FJ", (ALNUM, 20))),
        ("Anthropic API", "anthropic-api-key",
         lambda d: d.key(sk + "ant-api03-", (URL_SAFE, 93), "AA")),
        ("Anthropic admin", "anthropic-admin-key",
         lambda d: d.key(sk + "ant-admin01-", (URL_SAFE, 93), "AA")),
        ("OpenRouter", "openrouter-api-key", lambda d: d.key(sk + "or-v1-", (HEX, 64))),
        ("Google API", "google-api-key", lambda d: d.key("AI" + "za", (URL_SAFE, 35))),
        ("Together", "together-api-key", lambda d: d.key("tgp_" + "v1_", (URL_SAFE, 43))),
        ("Moonshot", "moonshot-api-key", lambda d: d.key(sk, (ALNUM, 48))),
        ("Groq", "groq-api-key", lambda d: d.key("gs" + "k_", (ALNUM, 20), "WGdyb3FY", (ALNUM, 24))),
        ("Hugging Face", "huggingface-access-token",
         lambda d: d.key("hf" + "_", (string.ascii_letters, 34))),
        ("Hugging Face organization", "huggingface-org-token",
         lambda d: d.key("api_" + "org_", (string.ascii_letters, 34))),
        ("xAI", "xai-api-key", lambda d: d.key("xa" + "i-", (ALNUM, 80))),
        ("Perplexity", "perplexity-api-key", lambda d: d.key("pp" + "lx-", (ALNUM, 48))),
        ("Replicate", "replicate-api-token", lambda d: d.key("r8" + "_", (ALNUM, 37))),
        ("DeepSeek", "deepseek-api-key", lambda d: d.key(sk, (HEX, 32))),
        ("AWS access key id", "aws-access-key-id", lambda d: d.key("AK" + "IA", (BASE32, 16))),
        ("AWS temporary key id", "aws-access-key-id", lambda d: d.key("AS" + "IA", (BASE32, 16))),
        ("GitHub classic", "github-token", lambda d: d.key("gh" + "p_", (ALNUM, 36))),
        ("GitHub fine-grained", "github-fine-grained-token",
         lambda d: d.key("github_" + "pat_", (ALNUM, 22), "_", (ALNUM, 59))),
        ("GitLab classic", "gitlab-personal-access-token",
         lambda d: d.key("glp" + "at-", (URL_SAFE, 20))),
        ("GitLab routable", "gitlab-personal-access-token",
         lambda d: d.key("glp" + "at-", (URL_SAFE, 36), ".01", (BASE36, 7))),
        ("npm", "npm-access-token", lambda d: d.key("np" + "m_", (ALNUM, 36))),
        ("Slack bot", "slack-token",
         lambda d: d.key("xo" + "xb-", (DIGITS, 11), "-", (DIGITS, 13), "-", (ALNUM, 24))),
        ("Slack app", "slack-app-token",
         lambda d: d.key("xa" + "pp-1-A", (BASE32, 10), "-", (DIGITS, 13), "-", (HEX, 64))),
        ("Stripe live secret", "stripe-secret-key",
         lambda d: d.key("sk_" + "live_", (ALNUM, 99))),
        ("Stripe test secret", "stripe-secret-key", lambda d: d.key("sk_" + "test_", (ALNUM, 24))),
        ("Stripe live restricted", "stripe-restricted-key",
         lambda d: d.key("rk_" + "live_", (ALNUM, 99))),
        ("Stripe test restricted", "stripe-restricted-key",
         lambda d: d.key("rk_" + "test_", (ALNUM, 99))),
        ("SendGrid", "sendgrid-api-key",
         lambda d: d.key("SG" + ".", (URL_SAFE, 22), ".", (URL_SAFE, 43))),
        ("Private key (RSA PEM)", "private-key", lambda d: private_key_block(d, "RSA")),
        ("Private key (OpenSSH)", "private-key", lambda d: private_key_block(d, "OPENSSH")),
    ]


# Surroundings: (directory, extension, render(key, variable) -> list of lines, index of the
# key's line). A few unrelated lines come first so that line numbers differ.
def env_line(key, var):
    return ["# service settings", "LOG_LEVEL=info", var + "=" + key], 2


def python_literal(key, var):
    return ["import os", "", "client = Client(", '    api_key="' + key + '",', ")"], 3


def js_literal(key, var):
    return ["'use strict';", "const apiKey = '" + key + "';", "module.exports = { apiKey };"], 1


def go_literal(key, var):
    return ["package config", "", "// Key for the client.", 'const apiKey = "' + key + '"'], 3


def yaml_value(key, var):
    return ["service:", "  name: agent", "  credentials:", "    api_key: " + key], 3


def json_value(key, var):
    return ["{", '  "name": "agent",', '  "api_key": "' + key + '",', '  "retries": 3', "}"], 2


def url_query(key, var):
    return ["# fetch the model list", 'curl -s "https://api.example.net/v1/models?key=' + key +
            '&limit=5"'], 1


def url_userinfo(key, var):
    return ["[remote]", "url = https://deploy:" + key + "@git.example.net/team/app.git"], 1


def shell_export(key, var):
    return ["#!/bin/sh", "set -eu", "export " + var + '="' + key + '"', 'exec agent "$@"'], 2


def markdown_block(key, var):
    return ["# Setup", "", "Set the key:", "", "```bash", "export " + var + "=" + key, "```"], 5


SURROUNDINGS = [
    ("env", "env", env_line), ("env-crlf", "env", env_line), ("python", "py", python_literal), ("js", "js", js_literal),
    ("go", "go", go_literal), ("yaml", "yaml", yaml_value), ("json", "json", json_value),
    ("url", "sh", url_query), ("url", "ini", url_userinfo), ("shell", "sh", shell_export),
    ("markdown", "md", markdown_block),
]


def slug(text):
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def plant_private_key(block, copy):
    """A PEM block as a file of its own, or inside a JSON string with \\n (service accounts)."""
    if copy % 2 == 0:
        return "pem", "pem", ["# deploy key"] + block.split("\n"), 1
    escaped = block.replace("\n", "\\n") + "\\n"
    lines = ["{", '  "type": "service_account",', '  "private_key": "' + escaped + '",',
             '  "client_email": "agent@project.iam.gserviceaccount.com"', "}"]
    return "json", "json", lines, 2


def write(path, lines, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(newline.join(lines) + newline)


def negatives(d):
    """Text no scanner should report, by file."""
    sk = "sk" + "-"
    files = {}
    digests = []
    for i in range(20):
        data = d.rng.randbytes(32)
        digests += ["md5 " + hashlib.md5(data).hexdigest(),
                    "sha1 " + hashlib.sha1(data).hexdigest(),
                    "sha256 " + hashlib.sha256(data).hexdigest(),
                    "commit " + hashlib.sha1(data + b"git").hexdigest() + " Merge branch"]
    files["hashes.txt"] = digests
    files["uuids.txt"] = ["id: " + str(uuid.UUID(bytes=d.rng.randbytes(16), version=4))
                          for _ in range(40)]
    files["placeholders.env"] = [
        "OPENAI_API_KEY=" + sk + "your-key-here",
        "OPENAI_API_KEY=" + sk + "...",
        "OPENAI_API_KEY=" + sk + "proj-" + "x" * 60,
        "OPENAI_API_KEY=<YOUR_OPENAI_KEY>",
        "MOONSHOT_API_KEY=" + sk + "x" * 48,
        "DEEPSEEK_API_KEY=" + sk + "0123456789abcdef" * 2,
        "GROQ_API_KEY=" + "gs" + "k_" + "x" * 52,
        "GROQ_API_KEY=" + "gs" + "k_your_groq_api_key",
        "HF_TOKEN=" + "hf" + "_" + "x" * 34,
        "HF_TOKEN=" + "hf" + "_YourHuggingFaceTokenGoesHereNowAbc",
        "XAI_API_KEY=" + "xa" + "i-" + "ab" * 40,
        "PERPLEXITY_API_KEY=" + "pp" + "lx-" + "X" * 48,
        "REPLICATE_API_TOKEN=" + "r8" + "_" + "Example" * 5 + "xy",
        "NPM_TOKEN=" + "np" + "m_" + "0" * 36,
        "GITLAB_TOKEN=" + "glp" + "at-" + "x" * 20,
        "SENDGRID_API_KEY=" + "SG" + "." + "x" * 22 + "." + "x" * 43,
        "STRIPE_SECRET_KEY=" + "sk_" + "live_" + "Placeholder" * 3,
        "aws_access_key_id = " + "AKIA" + "IOSFODNN7EXAMPLE",
        "aws_access_key_id = " + "AKIA" + "I44QH8DHBEXAMPLE",
        "GITHUB_TOKEN=" + "gh" + "p_" + "EXAMPLEexampleEXAMPLEexampleEXAMPLE1",
        "SLACK_BOT_TOKEN=" + "xo" + "xb-your-bot-token",
        "GOOGLE_API_KEY=" + "AI" + "za" + "SyDUMMY_dummy_DUMMY_dummy_DUMMY_dum",
    ]
    # Lock files and manifests hold digests in base64 and hex by the thousand.
    files["lockfiles.txt"] = sum([[
        '      "integrity": "sha512-' + base64.b64encode(d.rng.randbytes(64)).decode() + '",',
        "github.com/acme/lib v1.%d.0 h1:" % i + base64.b64encode(d.rng.randbytes(32)).decode(),
        "image: registry.example.net/agent@sha256:" + d.rng.randbytes(32).hex(),
    ] for i in range(20)], [])
    b64url = lambda n: base64.urlsafe_b64encode(d.rng.randbytes(n)).decode().rstrip("=")
    files["jwts.txt"] = ["Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + b64url(60) +
                         "." + b64url(32) for _ in range(20)]
    blob = base64.b64encode(d.rng.randbytes(3000)).decode()
    files["blob.b64"] = [blob[i:i + 76] for i in range(0, len(blob), 76)] + [
        base64.b64encode(d.rng.randbytes(1500)).decode()]
    hex32 = d.chars(HEX, 32)
    files["words.txt"] = [
        "task-" + hex32, "disk-" + d.chars(HEX, 32), "risk-" + d.chars(ALNUM, 48),
        "mask-" + d.chars(HEX, 32), "ask-" + d.chars(HEX, 32)[:-3],
        "hf_hub_download(repo_id, filename)", "sk_live_mode = True", "npm_config_cache=/tmp/npm",
        "ghp_token_name = 'deploy'", "api_org_name: research",
    ]
    files["lengths.txt"] = [
        # "sk-" + hex digests: 40 and 64 digits are no shape (DeepSeek is 32).
        sk + d.chars(HEX, 40), sk + d.chars(HEX, 64), sk + d.chars(HEX, 31),
        sk + d.chars(HEX, 33),
        "gs" + "k_" + d.chars(ALNUM, 48), "gs" + "k_" + d.chars(ALNUM, 60),
        "hf" + "_" + d.chars(ALNUM, 33), "hf" + "_" + d.chars(ALNUM, 40),
        "np" + "m_" + d.chars(ALNUM, 35), "np" + "m_" + d.chars(ALNUM, 40),
        "r8" + "_" + d.chars(ALNUM, 30), "pp" + "lx-" + d.chars(ALNUM, 40),
        "xa" + "i-" + d.chars(ALNUM, 70), "glp" + "at-" + d.chars(ALNUM, 15),
        "sk_" + "live_" + d.chars(ALNUM, 20), "AK" + "IA" + d.chars(BASE32, 15),
        "AK" + "IA" + d.chars(BASE32, 17), "gh" + "p_" + d.chars(ALNUM, 35),
        "SG" + "." + d.chars(ALNUM, 22) + "." + d.chars(ALNUM, 30),
    ]
    return files


def generate(outdir, seed, copies=3):
    """Writes the corpus; returns the planted keys as dicts (file, line, rule, shape, key)."""
    d = Draw(seed)
    planted = []
    for index, (shape, rule, make) in enumerate(shapes()):
        for copy in range(copies):
            key = make(d)
            if rule == "private-key":
                directory, ext, lines, at = plant_private_key(key, copy)
            else:
                directory, ext, render = SURROUNDINGS[(index + copy) % len(SURROUNDINGS)]
                lines, at = render(key, slug(shape).upper().replace("-", "_") + "_KEY")
            rel = "positive/%s/%s-%d.%s" % (directory, slug(shape), copy + 1, ext)
            # Files saved on Windows end their lines with CR LF.
            write(os.path.join(outdir, rel), lines, "\r\n" if directory == "env-crlf" else "\n")
            planted.append({"file": rel, "line": at + 1, "rule": rule, "shape": shape, "key": key})
    for name, lines in negatives(d).items():
        write(os.path.join(outdir, "negative", name), lines)
    expected = [{k: p[k] for k in ("file", "line", "rule", "shape")} for p in planted]
    with open(os.path.join(outdir, "expected.json"), "w", encoding="utf-8") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")
    return planted


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=None,
                        help="generator seed [default: random, printed on stderr]")
    parser.add_argument("--copies", type=int, default=3, help="keys per shape [default: 3]")
    args = parser.parse_args()
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    planted = generate(args.outdir, seed, args.copies)
    print("make_corpus: seed %d, %d keys of %d shapes in %s" %
          (seed, len(planted), len(shapes()), args.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
