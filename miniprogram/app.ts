/** Site Steward's mini-program: each page talks to the REST API itself (api/client.ts); nothing global. */
App({
  onLaunch() {
    // Sign-in happens on the first page (pages/login), which goes on to the inbox when a session exists.
  },
});
