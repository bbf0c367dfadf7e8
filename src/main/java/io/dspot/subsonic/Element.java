package io.dspot.subsonic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a Subsonic answer, the single model both forms are written from (see
 * {@link ResponseFormat}): attributes (XML attributes, JSON fields), children (a child declared as
 * a list is a JSON array even with one or no item, as clients expect), and text (JSON {@code value}).
 */
final class Element {

  /** A named child: one element, a list of elements, or a list of bare values ({@code <versions>1</versions>}). */
  record Child(String name, List<Element> elements, List<Object> values, boolean list) {}

  final String name;
  final Map<String, Object> attributes = new LinkedHashMap<>();
  final List<Child> children = new ArrayList<>();
  String text;

  Element(String name) {
    this.name = name;
  }

  /** The {@code subsonic-response} to fill; the writer adds status, version and the rest. */
  static Element response() {
    return new Element("subsonic-response");
  }

  /** Sets an attribute; null values are left out (optional fields are absent, not null). */
  Element set(String attribute, Object value) {
    if (value != null) {
      attributes.put(attribute, value);
    }
    return this;
  }

  /** Adds and returns a single child element. */
  Element child(String childName) {
    Element e = new Element(childName);
    children.add(new Child(childName, List.of(e), List.of(), false));
    return e;
  }

  /** Adds a single child element built elsewhere; returns this. */
  Element with(Element single) {
    children.add(new Child(single.name, List.of(single), List.of(), false));
    return this;
  }

  /** Adds a repeated child (a JSON array, however many). */
  Element list(String childName, List<Element> items) {
    children.add(new Child(childName, List.copyOf(items), List.of(), true));
    return this;
  }

  /** Adds repeated bare values: {@code <folder>1</folder>} in XML, {@code "folder": [1]} in JSON. */
  Element values(String childName, List<Object> items) {
    children.add(new Child(childName, List.of(), List.copyOf(items), true));
    return this;
  }

  Element text(String value) {
    this.text = value;
    return this;
  }
}
