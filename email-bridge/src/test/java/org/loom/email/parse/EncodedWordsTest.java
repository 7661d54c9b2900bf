package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EncodedWordsTest {

    @Test
    void decodesBase64Words() {
        assertThat(EncodedWords.decode("=?UTF-8?B?SGVsbG8gV29ybGQ=?=")).isEqualTo("Hello World");
    }

    @Test
    void decodesQuotedPrintableWordsWithUnderscoresAsSpaces() {
        assertThat(EncodedWords.decode("=?utf-8?q?Caf=C3=A9_au_lait?=")).isEqualTo("Café au lait");
    }

    @Test
    void honoursTheDeclaredCharset() {
        assertThat(EncodedWords.decode("=?ISO-8859-1?Q?Gr=FC=DFe?=")).isEqualTo("Grüße");
        assertThat(EncodedWords.decode("=?windows-1252?Q?=80_10?=")).isEqualTo("€ 10");
    }

    @Test
    void dropsWhiteSpaceBetweenAdjacentEncodedWords() {
        assertThat(EncodedWords.decode("=?UTF-8?Q?Hello?=   =?UTF-8?Q?_World?=")).isEqualTo("Hello World");
        assertThat(EncodedWords.decode("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=")).isEqualTo("ab");
    }

    @Test
    void keepsWhiteSpaceBetweenAnEncodedWordAndPlainText() {
        assertThat(EncodedWords.decode("Re: =?UTF-8?Q?Caf=C3=A9?= order")).isEqualTo("Re: Café order");
    }

    @Test
    void joinsAMultiByteCharacterSplitAcrossTwoWords() {
        // "é" is C3 A9 in UTF-8; the sender split it between the words.
        assertThat(EncodedWords.decode("=?UTF-8?Q?Caf=C3?= =?UTF-8?Q?=A9?=")).isEqualTo("Café");
        assertThat(EncodedWords.decode("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=")).isEqualTo("éé");
    }

    @Test
    void readsTheLanguageSuffixOfRfc2231() {
        assertThat(EncodedWords.decode("=?UTF-8*en?Q?Hi?=")).isEqualTo("Hi");
    }

    @Test
    void leavesUndecodableWordsAsWritten() {
        assertThat(EncodedWords.decode("=?x-no-such-charset?Q?abc?= tail")).isEqualTo("=?x-no-such-charset?Q?abc?= tail");
        assertThat(EncodedWords.decode("plain text")).isEqualTo("plain text");
    }
}
