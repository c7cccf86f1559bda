/** The page's markup; its script and styles come from the same origin, as the CSP requires. */
export const FLOW_PAGE = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Message flow · orders</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/flow/flow.css">
<script type="module" src="/flow/flow.js"></script>
</head>
<body>
<header class="top">
  <div>
    <h1>Message flow</h1>
    <p class="subtitle">Every command and event on NATS, live, and where each order stands in its saga.</p>
  </div>
  <div class="legend">
    <span class="legend-item command"><svg width="44" height="12" aria-hidden="true"><line x1="2" y1="6" x2="34" y2="6"/><path d="M34 1 L42 6 L34 11 Z"/></svg>command: one receiver</span>
    <span class="legend-item event"><svg width="44" height="12" aria-hidden="true"><line x1="2" y1="6" x2="34" y2="6"/><path d="M34 1 L42 6 L34 11 Z"/></svg>event: every subscriber</span>
    <span id="connection" class="connection" data-connection="connecting">connecting…</span>
  </div>
</header>
<main class="layout">
  <section class="card diagram-card">
    <h2>Services</h2>
    <svg id="diagram" viewBox="0 0 760 460" role="img" aria-label="The services and the messages between them"></svg>
    <p id="skipped" class="note" hidden></p>
  </section>
  <aside class="side">
    <section class="card">
      <h2>Place an order</h2>
      <form id="order-form" autocomplete="off">
        <fieldset class="outcomes" id="outcomes">
          <legend>Outcome</legend>
          <label><input type="radio" name="outcome" value="completed" checked> completes</label>
          <label><input type="radio" name="outcome" value="declined"> payment declined</label>
          <label><input type="radio" name="outcome" value="refunded"> refunded</label>
        </fieldset>
        <div class="fields">
          <label>SKU <input name="sku" value="BOOK-42" required></label>
          <label>Quantity <input name="quantity" type="number" min="1" max="1000" value="2" required></label>
          <label>Unit price (cents) <input name="unitPrice" type="number" min="0" value="1250" required></label>
          <label>Currency <input name="currency" value="EUR" maxlength="3" required></label>
          <label>Country <input name="country" value="DE" maxlength="2" required></label>
          <label>City <input name="city" value="Berlin" required></label>
        </div>
        <p class="hint" id="outcome-hint"></p>
        <button type="submit" id="place-order" disabled>Place order</button>
        <p id="form-result" class="form-result" role="status"></p>
      </form>
    </section>
    <section class="card orders-card">
      <h2>Orders <span class="muted" id="orders-count"></span></h2>
      <ol id="orders" class="orders"></ol>
      <p id="no-orders" class="empty">Orders appear here as their messages pass.</p>
    </section>
  </aside>
  <section class="card log-card">
    <h2>Messages</h2>
    <ol id="log" class="log"></ol>
  </section>
</main>
</body>
</html>
`;
