package io.dspot.subsonic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Both answer forms as one comparable tree, read the way the Subsonic API describes their
 * correspondence: XML attributes and JSON fields are fields (values compared as text), repeated
 * elements and JSON arrays are lists (a one-item list equals its item; an empty list equals absence),
 * element text and a JSON {@code value} are the same field.
 */
final class XmlTree {

  private XmlTree() {}

  /** The root element of a namespaced Subsonic XML answer, as a normalized tree. */
  static Object fromXml(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    return element(doc.getDocumentElement());
  }

  static String namespace(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement().getNamespaceURI();
  }

  private static Object element(Element e) {
    Map<String, Object> out = new LinkedHashMap<>();
    NamedNodeMap attributes = e.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      Node a = attributes.item(i);
      if (!a.getNodeName().startsWith("xmlns")) {
        out.put(a.getNodeName(), a.getNodeValue());
      }
    }
    Map<String, JsonArray> children = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        children.computeIfAbsent(child.getLocalName(), k -> new JsonArray()).add(element(child));
      } else if (n.getNodeType() == Node.TEXT_NODE) {
        text.append(n.getNodeValue());
      }
    }
    children.forEach((name, items) -> out.put(name, items.size() == 1 ? items.getValue(0) : items));
    if (out.isEmpty() && !text.isEmpty()) {
      return text.toString();
    }
    if (!text.toString().isBlank()) {
      out.put("value", text.toString());
    }
    return new JsonObject(out);
  }

  /** A JSON answer's root object, normalized like {@link #fromXml}. */
  static Object fromJson(Object json) {
    if (json instanceof JsonObject o) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> field : o) {
        Object value = fromJson(field.getValue());
        if (!(value instanceof JsonArray a && a.isEmpty())) {
          out.put(field.getKey(), value);
        }
      }
      return new JsonObject(out);
    }
    if (json instanceof JsonArray a) {
      JsonArray items = new JsonArray();
      a.forEach(item -> items.add(fromJson(item)));
      return items.size() == 1 ? items.getValue(0) : items;
    }
    return json == null ? null : String.valueOf(json);
  }

  /** The tree without getIndexes' lastModified, which is the time of the answer and so differs between two calls. */
  static Object withoutClock(Object tree) {
    if (tree instanceof JsonObject o && o.getValue("indexes") instanceof JsonObject indexes) {
      indexes.remove("lastModified");
    }
    return tree;
  }

  /** The field names of every object in the tree, as paths (for a readable failure). */
  static List<String> paths(Object tree) {
    List<String> out = new java.util.ArrayList<>();
    collect("", tree, out);
    return out;
  }

  private static void collect(String prefix, Object tree, List<String> out) {
    if (tree instanceof JsonObject o) {
      o.forEach(f -> {
        out.add(prefix + f.getKey());
        collect(prefix + f.getKey() + ".", f.getValue(), out);
      });
    } else if (tree instanceof JsonArray a) {
      a.forEach(item -> collect(prefix, item, out));
    }
  }
}
