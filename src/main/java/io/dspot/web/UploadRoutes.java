package io.dspot.web;

import io.dspot.http.ApiReplies;
import io.dspot.http.RequestParams;

import io.dspot.bus.ServiceException;
import io.dspot.ingest.IngestAddresses;
import io.dspot.ingest.UploadReceiver;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** POST /api/songs (multipart, streamed) and the admin's folder import. */
final class UploadRoutes {

  private final UploadReceiver uploads;

  UploadRoutes(UploadReceiver uploads) {
    this.uploads = uploads;
  }

  void mount(Router router) {
    router.post("/api/songs").handler(Authentication.adminOnly()).handler(this::upload);
    router.post("/api/admin/import").handler(Authentication.adminOnly())
        .handler(BusCall.to(IngestAddresses.FOLDER_IMPORT, RequestParams::body, 202));
    router.get("/api/admin/import").handler(Authentication.adminOnly())
        .handler(BusCall.to(IngestAddresses.IMPORT_STATUS, ctx -> new JsonObject()));
  }

  private void upload(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
      ApiReplies.error(ctx, 415, "expected a multipart/form-data upload of audio files");
      return;
    }
    // Refused before the body is read, like a listener's upload: the body waits for the answer.
    ctx.request().pause();
    uploads.requireRoom(ctx.vertx(), ctx.request()).onComplete(room -> {
      if (room.failed()) {
        ApiReplies.failure(ctx, room.cause());
        return;
      }
      if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
        // A client that asked first (curl does above 1 MB) sends the body only now, not into a refusal.
        ctx.response().writeContinue();
      }
      uploads.receive(ctx.vertx(), ctx.request())
          .onSuccess(parts -> ingestAll(ctx, parts))
          .onFailure(e -> {
            if (e instanceof UploadReceiver.RefusedPart refused) {
              ingestAll(ctx, List.of(refused.part));
            } else if (e instanceof ServiceException) {
              ApiReplies.failure(ctx, e);
            } else {
              ApiReplies.error(ctx, 400, "upload interrupted: " + e.getMessage());
            }
          });
    });
  }

  /** Ingests every part, one after the other; the answer lists what was stored and what was refused. */
  private void ingestAll(RoutingContext ctx, List<UploadReceiver.Received> parts) {
    if (parts.isEmpty()) {
      ApiReplies.error(ctx, 400, "no file in the upload");
      return;
    }
    JsonArray songs = new JsonArray();
    List<JsonObject> rejected = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (UploadReceiver.Received part : parts) {
      chain = chain.compose(v -> uploads.ingest(ctx.vertx(), part).transform(result -> {
        if (result.succeeded()) {
          songs.add(result.result().getJsonObject("song").copy().put("duplicate", result.result().getBoolean("duplicate")));
        } else {
          rejected.add(rejection(part.name(), result.cause()));
        }
        return Future.<Void>succeededFuture();
      }));
    }
    chain.onComplete(done -> {
      if (rejected.isEmpty()) {
        ApiReplies.json(ctx, 201, new JsonObject().put("songs", songs));
        return;
      }
      JsonObject first = rejected.get(0);
      ApiReplies.json(ctx, first.getInteger("status"), new JsonObject()
          .put("error", first.getString("error"))
          .put("file", first.getString("file"))
          .put("rejected", new JsonArray(rejected))
          .put("songs", songs));
    });
  }

  private static JsonObject rejection(String file, Throwable cause) {
    int status = cause instanceof ServiceException se ? se.status
        : cause instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 600 ? re.failureCode() : 500;
    // A module's own refusal says what went wrong (over the bus, BusService already masked anything else).
    boolean refusal = cause instanceof ServiceException
        || cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400;
    String message = status == 500 && !refusal ? "internal error" : cause.getMessage();
    if (!message.contains(file)) {
      message = file + ": " + message;
    }
    return new JsonObject().put("file", file).put("status", status).put("error", message);
  }
}
