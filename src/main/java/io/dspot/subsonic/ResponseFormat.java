package io.dspot.subsonic;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * How a Subsonic answer is written, chosen by {@code f}: XML (the default, namespace
 * {@value #NAMESPACE}), {@code json} ({@code {"subsonic-response": {...}}}) or {@code jsonp}
 * (the JSON wrapped in {@code callback(...)}). Both forms come from one {@link Element} tree, so
 * they cannot drift apart: attributes become fields, list children arrays, text {@code value}.
 */
final class ResponseFormat {

  static final String API_VERSION = "1.16.1";
  static final String NAMESPACE = "http://subsonic.org/restapi";
  static final String SERVER_TYPE = "dspot";
  static final String SERVER_VERSION = serverVersion();
  /** A JavaScript identifier path, nothing a page could abuse to run other script. */
  private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,63}(\\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,4}");

  enum Kind { XML, JSON, JSONP }

  final Kind kind;
  final String callback;

  private ResponseFormat(Kind kind, String callback) {
    this.kind = kind;
    this.callback = callback;
  }

  static final ResponseFormat XML = new ResponseFormat(Kind.XML, null);
  static final ResponseFormat JSON = new ResponseFormat(Kind.JSON, null);

  /** The format the request asks for; JSONP with a missing or unusable callback is answered as a JSON error. */
  static ResponseFormat of(MultiMap params) {
    String f = params.get("f");
    if ("json".equals(f)) {
      return JSON;
    }
    if ("jsonp".equals(f)) {
      String callback = params.get("callback");
      if (callback == null) {
        throw new FormatProblem(SubsonicError.missing("callback"));
      }
      if (!CALLBACK.matcher(callback).matches()) {
        throw new FormatProblem(new SubsonicError(SubsonicError.GENERIC, "callback must be a JavaScript name such as handleAnswer"));
      }
      return new ResponseFormat(Kind.JSONP, callback);
    }
    return XML;
  }

  /** A format request that cannot be honoured: answered as JSON, the error it carries. */
  static final class FormatProblem extends RuntimeException {
    final SubsonicError error;

    FormatProblem(SubsonicError error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }
  }

  String contentType() {
    return switch (kind) {
      case XML -> "text/xml; charset=utf-8";
      case JSON -> "application/json; charset=utf-8";
      case JSONP -> "application/javascript; charset=utf-8";
    };
  }

  /** A successful answer: {@code payload}'s attributes and children under the standard header. */
  String ok(Element payload) {
    return render(envelope("ok", payload));
  }

  String failed(SubsonicError error) {
    Element payload = Element.response();
    payload.child("error").set("code", error.code).set("message", error.getMessage());
    return render(envelope("failed", payload));
  }

  private static Element envelope(String status, Element payload) {
    Element root = Element.response()
        .set("status", status)
        .set("version", API_VERSION)
        .set("type", SERVER_TYPE)
        .set("serverVersion", SERVER_VERSION)
        .set("openSubsonic", true);
    root.attributes.putAll(payload.attributes);
    root.children.addAll(payload.children);
    return root;
  }

  private String render(Element root) {
    return switch (kind) {
      case XML -> xml(root);
      case JSON -> new JsonObject().put(root.name, json(root)).encode();
      case JSONP -> callback + "(" + new JsonObject().put(root.name, json(root)).encode() + ");";
    };
  }

  static JsonObject json(Element e) {
    JsonObject out = new JsonObject();
    e.attributes.forEach(out::put);
    for (Element.Child child : e.children) {
      if (!child.values().isEmpty() || (child.list() && child.elements().isEmpty())) {
        out.put(child.name(), new JsonArray(new java.util.ArrayList<>(child.values())));
      } else if (child.list()) {
        JsonArray items = new JsonArray();
        child.elements().forEach(item -> items.add(json(item)));
        out.put(child.name(), items);
      } else {
        out.put(child.name(), json(child.elements().get(0)));
      }
    }
    if (e.text != null) {
      out.put("value", e.text);
    }
    return out;
  }

  static String xml(Element root) {
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    root.attributes.put("xmlns", NAMESPACE);
    writeXml(out, root);
    return out.toString();
  }

  private static void writeXml(StringBuilder out, Element e) {
    out.append('<').append(e.name);
    e.attributes.forEach((name, value) -> out.append(' ').append(name).append("=\"").append(escape(String.valueOf(value))).append('"'));
    if (e.children.isEmpty() && e.text == null) {
      out.append("/>");
      return;
    }
    out.append('>');
    if (e.text != null) {
      out.append(escape(e.text));
    }
    for (Element.Child child : e.children) {
      for (Object value : child.values()) {
        out.append('<').append(child.name()).append('>').append(escape(String.valueOf(value))).append("</").append(child.name()).append('>');
      }
      for (Element item : child.elements()) {
        writeXml(out, item);
      }
    }
    out.append("</").append(e.name).append('>');
  }

  /** XML 1.0 text: the five specials escaped, characters XML cannot carry dropped. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String serverVersion() {
    String version = ResponseFormat.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
