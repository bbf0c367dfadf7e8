package io.dspot.subsonic;

import io.dspot.catalog.CatalogAddresses;
import io.dspot.ingest.IngestAddresses;
import io.dspot.security.SecurityAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The server and its accounts: ping, license, extensions, users, scans (the admin's folder import). */
final class AccountMethods {

  private static final int USERS_PAGE = 500;

  private AccountMethods() {}

  static void register(Map<String, Method> methods, boolean transcodes) {
    methods.put("ping", call -> Future.succeededFuture(Element.response()));
    methods.put("getLicense", call -> Future.succeededFuture(Element.response().with(new Element("license").set("valid", true))));
    // formPost: every method takes its parameters as an x-www-form-urlencoded POST body too;
    // apiKeyAuthentication: apiKey alone, the key the app password comes with;
    // transcodeOffset: stream's timeOffset, honoured only where ffmpeg makes the stream.
    List<Element> extensions = new java.util.ArrayList<>(List.of(
        new Element("openSubsonicExtensions").set("name", "formPost").values("versions", List.of(1)),
        new Element("openSubsonicExtensions").set("name", "apiKeyAuthentication").values("versions", List.of(1))));
    if (transcodes) {
      extensions.add(new Element("openSubsonicExtensions").set("name", "transcodeOffset").values("versions", List.of(1)));
    }
    methods.put("getOpenSubsonicExtensions", call -> Future.succeededFuture(Element.response().list("openSubsonicExtensions", extensions)));
    // OpenSubsonic's apiKeyAuthentication: whom the API key (or any credentials) stand for.
    methods.put("tokenInfo", call -> Future.succeededFuture(Element.response().with(new Element("tokenInfo").set("username", call.username()))));
    methods.put("getUser", AccountMethods::user);
    methods.put("getUsers", call -> {
      requireAdmin(call, "getUsers");
      return users(call).map(users -> Element.response().with(new Element("users").list("user", Shapes.each(users, AccountMethods::shape))));
    });
    methods.put("getScanStatus", AccountMethods::scanStatus);
    methods.put("startScan", call -> {
      requireAdmin(call, "startScan");
      // One import at a time: asked again while it runs, the answer is how it goes.
      return importRunning(call)
          .compose(running -> running ? Future.succeededFuture() : call.bus(IngestAddresses.FOLDER_IMPORT, new JsonObject().put("defaultRoot", true)))
          .compose(job -> scanStatus(call));
    });
  }

  /**
   * Songs arrive by upload, each indexed at once, or by the admin's folder import ({@code
   * startScan} imports the first import root): scanning while that import runs; the count is the
   * library's songs.
   */
  private static Future<Element> scanStatus(Call call) {
    return importRunning(call).compose(running -> call.bus(CatalogAddresses.SONG_LIST, new JsonObject().put("limit", 1).put(CatalogAddresses.EXACT_TOTAL, true))
        .map(page -> Element.response().with(new Element("scanStatus").set("scanning", running).set("count", page.getLong("total")))));
  }

  private static Future<Boolean> importRunning(Call call) {
    return call.bus(IngestAddresses.IMPORT_STATUS, new JsonObject())
        .map(job -> "running".equals(job.getString("state")))
        .recover(e -> e instanceof SubsonicError se && se.code == SubsonicError.NOT_FOUND ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  static void requireAdmin(Call call, String what) {
    if (!call.admin()) {
      throw new SubsonicError(SubsonicError.NOT_AUTHORIZED, "only an admin may call " + what);
    }
  }

  /** One's own account; an admin may ask for anyone's (50 for a listener asking for another). */
  private static Future<Element> user(Call call) {
    String name = call.required("username");
    if (name.equalsIgnoreCase(call.username())) {
      return Future.succeededFuture(Element.response().with(shape(call.user)));
    }
    requireAdmin(call, "getUser for another user");
    return users(call).map(users -> {
      for (int i = 0; i < users.size(); i++) {
        if (users.getJsonObject(i).getString("username").equalsIgnoreCase(name)) {
          return Element.response().with(shape(users.getJsonObject(i)));
        }
      }
      throw SubsonicError.notFound("no user named " + name);
    });
  }

  private static Future<JsonArray> users(Call call) {
    return call.bus(SecurityAddresses.USER_LIST, new JsonObject().put("limit", USERS_PAGE)).map(page -> page.getJsonArray("items"));
  }

  /** What a user may do here, in Subsonic's roles: everyone streams, downloads and keeps playlists; admins also upload and manage. */
  private static Element shape(JsonObject u) {
    boolean admin = "admin".equals(u.getString("role"));
    return new Element("user")
        .set("username", u.getString("username"))
        .set("scrobblingEnabled", false)
        .set("adminRole", admin)
        .set("settingsRole", true)
        .set("downloadRole", true)
        .set("uploadRole", admin)
        .set("playlistRole", true)
        .set("coverArtRole", false)
        .set("commentRole", false)
        .set("podcastRole", false)
        .set("streamRole", true)
        .set("jukeboxRole", false)
        .set("shareRole", false)
        .set("videoConversionRole", false)
        .values("folder", List.of(Shapes.MUSIC_FOLDER_ID));
  }
}
