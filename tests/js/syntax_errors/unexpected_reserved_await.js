a await
