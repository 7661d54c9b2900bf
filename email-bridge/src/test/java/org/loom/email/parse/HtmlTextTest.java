package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTextTest {

    @Test
    void dropsStylesScriptsAndTagsAndDecodesEntities() {
        String html = "<html><head><style>p{color:red}</style><SCRIPT>alert(1)</SCRIPT></head>"
                + "<body><p>Fish &amp; chips&nbsp;&lt;3</p><div>Second   line</div></body></html>";
        assertThat(HtmlText.toText(html)).isEqualTo("Fish & chips <3\nSecond line");
    }

    @Test
    void escapesTextForHtml() {
        assertThat(HtmlText.fromText("a < b & c > d")).isEqualTo("<pre>a &lt; b &amp; c &gt; d</pre>");
    }
}
