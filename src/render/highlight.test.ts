import { describe, expect, it } from "vitest";
import { highlightCommand, highlightTranscript } from "./highlight.js";

describe("highlight", () => {
  it("marks command words, options, strings, operators, variables and comments; escapes HTML", () => {
    expect(highlightCommand(`docker run -d --name "a<b" busybox | grep -c x && echo $HOME # done`)).toBe(
      '<span class="c">docker</span> run <span class="o">-d</span> <span class="o">--name</span> <span class="s">&quot;a&lt;b&quot;</span> busybox ' +
        '<span class="op">|</span> <span class="c">grep</span> <span class="o">-c</span> x <span class="op">&amp;&amp;</span> <span class="c">echo</span> <span class="v">$HOME</span> <span class="cm"># done</span>',
    );
  });

  it("writes prompt, continuation, output lines and a non-zero exit status", () => {
    expect(highlightTranscript("ip link \\\nshow", "1: lo\n", 1)).toBe(
      '<span class="p">$ </span><span class="c">ip</span> link \\\n<span class="p">&gt; </span>show\n<span class="out">1: lo</span>\n<span class="x">[1]</span>',
    );
  });
});
