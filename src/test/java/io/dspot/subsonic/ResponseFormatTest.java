package io.dspot.subsonic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseFormatTest {

  private static Element sample() {
    return Element.response().with(new Element("album").set("id", "al-1").set("name", "Rock & <Roll> \"live\"").set("songCount", 2)
        .list("song", List.of(new Element("song").set("id", "tr-1")))
        .list("empty", List.of())
        .values("versions", List.of(1, 2))
        .with(new Element("lyrics").set("artist", "A").text("line one\nline two")));
  }

  @Test
  void jsonTurnsAttributesIntoFieldsListsIntoArraysAndTextIntoValue() {
    JsonObject root = new JsonObject(ResponseFormat.JSON.ok(sample())).getJsonObject("subsonic-response");
    assertThat(root.getString("status")).isEqualTo("ok");
    assertThat(root.getBoolean("openSubsonic")).isTrue();
    JsonObject album = root.getJsonObject("album");
    assertThat(album.getInteger("songCount")).isEqualTo(2);
    assertThat(album.getJsonArray("song").getJsonObject(0).getString("id")).isEqualTo("tr-1");
    assertThat(album.getJsonArray("empty")).isEmpty();
    assertThat(album.getJsonArray("versions").getList()).containsExactly(1, 2);
    assertThat(album.getJsonObject("lyrics").getString("value")).isEqualTo("line one\nline two");
  }

  @Test
  void xmlEscapesTextAndDropsWhatXmlCannotCarry() throws Exception {
    Element e = Element.response().with(new Element("song").set("title", "bell\u0007 & <b>"));
    String xml = ResponseFormat.XML.ok(e);
    assertThat(xml).contains("title=\"bell &amp; &lt;b&gt;\"").doesNotContain("\u0007");
    assertThat(XmlTree.namespace(xml.getBytes(StandardCharsets.UTF_8))).isEqualTo("http://subsonic.org/restapi");
  }

  @Test
  void bothFormsCarryTheSameTree() throws Exception {
    Object fromXml = XmlTree.fromXml(ResponseFormat.XML.ok(sample()).getBytes(StandardCharsets.UTF_8));
    Object fromJson = XmlTree.fromJson(new JsonObject(ResponseFormat.JSON.ok(sample())).getJsonObject("subsonic-response"));
    assertThat(fromXml).isEqualTo(fromJson);
  }

  @Test
  void jsonpNeedsACallbackThatIsAJavaScriptName() {
    MultiMap ok = MultiMap.caseInsensitiveMultiMap().add("f", "jsonp").add("callback", "app.handle_1");
    assertThat(ResponseFormat.of(ok).ok(Element.response())).startsWith("app.handle_1({").endsWith("});");
    for (String bad : new String[] {"alert(1)", "a;b", "1abc", "x".repeat(100), ""}) {
      MultiMap params = MultiMap.caseInsensitiveMultiMap().add("f", "jsonp").add("callback", bad);
      assertThatThrownBy(() -> ResponseFormat.of(params)).as(bad).isInstanceOf(ResponseFormat.FormatProblem.class);
    }
    MultiMap none = MultiMap.caseInsensitiveMultiMap().add("f", "jsonp");
    assertThatThrownBy(() -> ResponseFormat.of(none)).isInstanceOfSatisfying(ResponseFormat.FormatProblem.class,
        p -> assertThat(p.error.code).isEqualTo(SubsonicError.MISSING_PARAMETER));
  }

  @Test
  void idsAreTypeSafe() {
    String uuid = "0b5e8f0c-7a43-4b0e-9e43-3d2f1c7b8a90";
    assertThat(SubsonicIds.ALBUM.parse("al-" + uuid).toString()).isEqualTo(uuid);
    for (String wrong : new String[] {"ar-" + uuid, uuid, "al-", "al-xyz", "al-" + uuid + "0", null}) {
      assertThatThrownBy(() -> SubsonicIds.ALBUM.parse(wrong)).as(String.valueOf(wrong))
          .isInstanceOfSatisfying(SubsonicError.class, e -> assertThat(e.code).isEqualTo(SubsonicError.NOT_FOUND));
    }
  }

  @Test
  void encodedPasswordsAreHexOfUtf8() {
    assertThat(SubsonicLogin.decoded("enc:736573616d65")).isEqualTo("sesame");
    assertThat(SubsonicLogin.decoded("sesame")).isEqualTo("sesame");
    assertThat(SubsonicLogin.decoded("enc:zz")).isNull();
  }

  @Test
  void methodNamesIgnoreTheViewSuffix() {
    assertThat(SubsonicRoutes.methodName("/rest/getAlbum.view")).isEqualTo("getAlbum");
    assertThat(SubsonicRoutes.methodName("/rest/getAlbum")).isEqualTo("getAlbum");
  }
}
