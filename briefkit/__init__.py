"""briefkit: reproducible country-pair policy briefs from a sourced data package.

    import briefkit
    briefkit.render("Pakistan", "Belarus")          # build/PAK-BLR/PAK-BLR.{ipynb,html,pdf}
    package = briefkit.open_package()               # the shared data package
"""
__version__ = "0.1.0"
__all__ = ["render", "open_package", "BriefkitError"]


def __getattr__(name):  # imported on first use: the notebook kernel needs none of the render chain
    if name == "render":
        from .render import render
        return render
    if name == "open_package":
        from .datapackage import open_package
        return open_package
    if name == "BriefkitError":
        from .errors import BriefkitError
        return BriefkitError
    raise AttributeError(f"module 'briefkit' has no attribute {name!r}")
