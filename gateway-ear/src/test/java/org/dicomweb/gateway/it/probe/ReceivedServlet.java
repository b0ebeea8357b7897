package org.dicomweb.gateway.it.probe;

import java.io.IOException;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /changefeed-probe/received}: what {@link ChangeFeedProbe} got so far, as a JSON array. */
@WebServlet("/received")
public class ReceivedServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonArrayBuilder received = Json.createArrayBuilder();
        ChangeFeedProbe.RECEIVED.forEach(received::add);
        response.setContentType("application/json");
        response.getWriter().write(received.build().toString());
    }
}
