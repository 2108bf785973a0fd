"""The package's one exception: the server's error code and message, or a check made here first."""


class CnnvisError(Exception):
    """A request the server refused (``status`` is its HTTP status), or one refused before sending (``status`` None).

    ``code`` is one of the server's error codes (``BAD_REQUEST``, ``UNAUTHORIZED``,
    ``NOT_FOUND``, ``PAYLOAD_TOO_LARGE``, ``TIMEOUT``, ...) and ``message`` its words.
    """

    def __init__(self, code, message, status=None, issues=None):
        super().__init__(f'{code}: {message}')
        self.code = code
        self.message = message
        self.status = status
        self.issues = issues or []

    @classmethod
    def from_response(cls, res):
        """The error a non-2xx response carries: the JSON envelope, or its text when it has none."""
        try:
            body = res.json()['error']
            return cls(body['code'], body['message'], res.status_code, body.get('issues'))
        except (ValueError, KeyError, TypeError):
            return cls(f'HTTP_{res.status_code}', res.text.strip() or res.reason, res.status_code)

    @classmethod
    def from_event(cls, body):
        """The error that ends a stream of server-sent events."""
        return cls(body.get('code', 'INTERNAL'), body.get('message', ''), None, body.get('issues'))


def bad_request(message):
    """A call refused here, before any request, for a reason the caller can fix."""
    return CnnvisError('BAD_REQUEST', message)
