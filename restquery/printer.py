"""placeholder"""
def unparse(req):  # pragma: no cover
    raise NotImplementedError
