from django.urls import URLPattern, URLResolver, path

from solex.collaboration import views

app_name = "collaboration"
urlpatterns: list[URLPattern | URLResolver] = [
    path("in/<slug:slug>/", views.community_list, name="community-groups"),
    path("from/<int:exchange_id>/", views.start, name="action-group-start"),
    path("<int:action_group_id>/", views.detail, name="action-group-detail"),
    path("<int:action_group_id>/members/", views.members, name="action-group-members"),
    path("<int:action_group_id>/tasks/", views.task_add, name="task-add"),
    path("<int:action_group_id>/deliverables/", views.deliverable_add, name="deliverable-add"),
    path("<int:action_group_id>/close/", views.close, name="action-group-close"),
    path("tasks/<int:group_task_id>/", views.task_edit, name="task-edit"),
    path("tasks/<int:group_task_id>/status/", views.task_status, name="task-status"),
]
