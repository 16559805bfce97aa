"""The smallest Flask app: one page that says "ok". The yardstick for bench/selfcheck.py."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def ok():
    """What a page costs when the app does nothing."""
    return "ok"
