"""One app factory, audiences by config (ARCHITECTURE rule 7)."""

from sunshine.site import create_app


def test_public_deployment_exposes_no_admin_routes(app_config, published):
    public = create_app({**app_config, "SUNSHINE_ROLES": ("public",)})
    client = public.test_client()
    assert client.get("/admin/login").status_code == 404
    assert client.get("/intake/complaint").status_code == 200


def test_internal_deployment_exposes_no_intake(app_config, published):
    internal = create_app({**app_config, "SUNSHINE_ROLES": ("admin",)})
    client = internal.test_client()
    assert client.get("/intake/complaint").status_code == 404
    assert client.get("/admin/login").status_code == 200


def test_static_role_says_clearly_when_nothing_is_published_yet(app_config, published):
    response = create_app(app_config).test_client().get("/")
    assert response.status_code == 503
    assert "公开网站尚未生成" in response.get_data(as_text=True)


def test_static_role_serves_the_live_build_with_directory_index(app_config, published, tmp_path):
    web_root = tmp_path / "public"
    build = web_root / "builds" / "b1" / "items" / "ZJJ-XK-001"
    build.mkdir(parents=True)
    (build / "index.html").write_text("<h1>建筑工程施工许可证核发</h1>", encoding="utf-8")
    (web_root / "current").symlink_to(web_root / "builds" / "b1")
    client = create_app({**app_config, "SUNSHINE_WEB_ROOT": str(web_root)}).test_client()
    assert "建筑工程施工许可证核发" in client.get("/items/ZJJ-XK-001/").get_data(as_text=True)
    assert client.get("/items/ZJJ-XK-001").status_code == 301
    assert client.get("/../../etc/passwd").status_code == 404
