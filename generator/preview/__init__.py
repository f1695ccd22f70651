"""The writing loop: watching the site, serving a preview, rendering an edited page first."""
