app_name = "annotations"

urlpatterns = []
