package io.outboundbridge.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboundbridge.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class SignTemplateTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_feed_a_signature_exactly_the_rendered_bytes() throws Exception {
        SignTemplate t = new SignTemplate("v1|{appId}|{timestamp}|{method} {path}|{body}|签名");
        byte[] body = utf8("[{\"name\":\"张三\"}]".repeat(5000));
        Signature fed = Signature.getInstance("SHA256withRSA");
        fed.initSign(PemKeys.readPrivateKey(TestKeys.get().privateKeyFile()));
        Signature rendered = Signature.getInstance("SHA256withRSA");
        rendered.initSign(PemKeys.readPrivateKey(TestKeys.get().privateKeyFile()));

        t.update(fed, "app", "1700000000000", "POST", "/a/b", body);
        rendered.update(t.render("app", "1700000000000", "POST", "/a/b", body));

        // RSA PKCS#1 v1.5 signatures are deterministic: the same bytes signed give the same signature
        assertThat(fed.sign()).isEqualTo(rendered.sign());
    }

    @Test
    void should_render_the_default_as_plain_concatenation() {
        byte[] out = new SignTemplate(SignTemplate.DEFAULT).render("app", "123", "POST", "/p", utf8("{}"));

        assertThat(out).isEqualTo(utf8("app123"));
    }

    @Test
    void should_render_every_placeholder_and_literal_text_in_utf8() {
        SignTemplate t = new SignTemplate("{method}\n{path}\n{appId}:{timestamp}\n签名{body}");

        byte[] out = t.render("app", "123", "POST", "/a/b", utf8("{\"n\":\"张三\"}"));

        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("POST\n/a/b\napp:123\n签名{\"n\":\"张三\"}");
    }

    @Test
    void should_insert_the_body_bytes_exactly() {
        byte[] body = {(byte) 0xff, 0x00, '{', (byte) 0xe5, '}'};

        byte[] out = new SignTemplate("<{body}>").render("a", "1", "POST", "/", body);

        assertThat(out).containsExactly('<', (byte) 0xff, 0x00, '{', (byte) 0xe5, '}', '>');
    }

    @Test
    void should_render_a_null_body_as_empty() {
        assertThat(new SignTemplate("{appId}{body}").render("a", "1", "POST", "/", null)).isEqualTo(utf8("a"));
    }

    @Test
    void should_refuse_an_unknown_placeholder_naming_it() {
        assertThatThrownBy(() -> new SignTemplate("{appId}{nonce}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown placeholder {nonce}");
        assertThatThrownBy(() -> new SignTemplate("{APPID}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown placeholder {APPID}");
    }

    @Test
    void should_refuse_an_empty_template() {
        assertThatThrownBy(() -> new SignTemplate(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sign template is empty");
    }
}
