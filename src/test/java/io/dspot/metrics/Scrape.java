package io.dspot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import java.util.List;

/** One /metrics answer, read as an operator's query would: series by name and labels. */
record Scrape(String text) {

  static Scrape of(ApiClient.Reply reply) {
    assertThat(reply.status()).as("GET /metrics: %s", reply.text()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    return new Scrape(reply.text());
  }

  /** The sample lines of {@code name} (exactly that name) whose labels contain every one of {@code labels} ({@code key="value"}). */
  List<String> series(String name, String... labels) {
    return text.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .toList();
  }

  /** The sum of those series' values; 0 when there is none. */
  double sum(String name, String... labels) {
    return series(name, labels).stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
