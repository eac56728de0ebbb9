// The seed's page, as its author wrote it, with one step added: the token buys a single-use ticket, and the
// EventSource opens /sse?ticket=… rather than carrying the long-lived token in its URL. Also shows presence.
export const EXAMPLE_PAGE = `<html lang="en">
<head>
<meta charset="utf-8">
<title>reguser web bridge</title>
<script>
let token;
window.addEventListener('load', async () => {
console.debug("window.load");
document.getElementById("url").value = location.origin;
document.getElementById("login").addEventListener('click', async () => {
const url = document.getElementById("url").value;
const username = document.getElementById("username").value;
const body = document.getElementById("password").value;
const response = await fetch(url + "/sparkweb/api/rest/login/" + username, {method: "POST", body});
const json = await response.json();
token = json.token;
if (token) {
const status = document.getElementById("status");
// The one change: a single-use ticket instead of the token in the EventSource's URL.
const ticket = (await (await fetch(url + "/sparkweb/api/rest/ticket", {method: "POST", headers: {"Authorization": token}})).json()).ticket;
const source = new EventSource(url + "/sparkweb/sse?ticket=" + ticket);
window.source = source;
source.onerror = async event => {
console.debug("EventSource - onError", event);
};
source.addEventListener('onConnect', async event => {
const msg = JSON.parse(event.data);
status.textContent = "User " + msg.username + " (" + msg.name + ") Signed In";
console.debug("EventSource - onConnect", msg);
});
source.addEventListener('chatapi.chat', async event => {
const msg = JSON.parse(event.data);
if (msg.type == "headline") {
status.textContent = "System Message - " + msg.body;
} else {
status.textContent = msg.type + " " + msg.from + " - " + msg.body;
}
console.debug("EventSource - chatapi.chat", msg);
});
source.addEventListener('chatapi.presence', async event => {
const msg = JSON.parse(event.data);
document.getElementById("presence").textContent = msg.from + " is " + (msg.show || msg.type);
});
} else {
document.getElementById("status").textContent = json.message;
}
});
document.getElementById("logout").addEventListener('click', async () => {
if (token) await fetch(document.getElementById("url").value + "/sparkweb/api/rest/logout", {method: "POST", headers: {"Authorization": token}});
token = undefined;
document.getElementById("status").textContent = "Signed Out";
});
});
window.addEventListener('beforeunload', async () => {
console.debug("window.beforeunload");
if (token) fetch(document.getElementById("url").value + "/sparkweb/api/rest/logout", {method: "POST", headers: {"Authorization": token}});
})
</script>
</head>
<body>
<div style="margin: 10px;font-family: monospace;font-size: 16px;" id="status" role="status">Inactive</div>
<div style="margin: 10px;font-family: monospace;font-size: 16px;" id="presence"></div>
<label>Bridge <input id="url" type="text" value="" /></label><br/>
<label>Username <input id="username" type="text" value="admin" /></label><br/>
<label>Password <input id="password" type="password" value="admin" /></label><br/>
<button id="login">Login</button> <button id="logout">Logout</button>
</body>
</html>
`;
