FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
 && useradd --create-home --uid 10001 govmap \
 && mkdir -p /data && chown govmap /data
# The service never needs root: it reads the package and writes only its store.
USER govmap
ENV GOVMAP_DB=/data/govmap.db
EXPOSE 8000
CMD ["govmap", "serve", "--host", "0.0.0.0", "--port", "8000"]
